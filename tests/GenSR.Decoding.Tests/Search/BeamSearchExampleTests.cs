using GenSR.Decoding.Tests.Support;

namespace GenSR.Decoding.Tests.Search;

public sealed class BeamSearchExampleTests
{
    [Fact]
    public void Variable_length_identifiers_with_prefixes_are_decoded_exactly()
    {
        // Identifiers of lengths 1 to 3, some a prefix of another, each followed by eos = 1.
        var identifiers = new[] { new[] { 5 }, new[] { 5, 6 }, new[] { 5, 6, 7 }, new[] { 6, 5 }, new[] { 7 }, new[] { 7, 7, 7 } };
        var trie = PrefixTrie.FromSequences(identifiers, endOfSequenceTokenId: 1);
        var options = new ReferenceDecoderOptions { VocabularySize = 8, HiddenSize = 8, Seed = 3 };
        foreach (var scoring in new[] { BeamScoring.SumLogProb, BeamScoring.LengthNormalized })
        {
            using var decoder = new ReferenceStepDecoder(new[] { 0, 1, 2, 3 }, options);
            var sequences = identifiers.Select(s => (IReadOnlyList<int>)[.. s, 1]).ToList();
            var exact = ExhaustiveSequenceScorer.Score(decoder, sequences);
            using var constraint = new TrieConstraint(trie, decoder.Device);
            var result = new BeamSearch(new BeamSearchOptions { Beams = 8, Scoring = scoring }).Search(decoder, constraint);
            for (var q = 0; q < 4; q++)
            {
                var expected = Enumerable.Range(0, identifiers.Length)
                    .OrderByDescending(i => scoring == BeamScoring.SumLogProb ? exact[q, i] : exact[q, i] / sequences[i].Count)
                    .ToArray();
                Assert.Equal(expected, result[q].Select(h => h.Item));
                foreach (var hit in result[q])
                {
                    Assert.Equal(sequences[hit.Item], hit.Tokens);
                    Assert.Equal(exact[q, hit.Item], hit.LogProbability, 4);
                }
            }
        }
    }

    [Fact]
    public void Small_catalogue_leaves_dead_beams_that_are_never_returned()
    {
        var trie = PrefixTrie.FromSequences(new[] { new[] { 2, 3 }, new[] { 2, 4 }, new[] { 3, 2 } }, endOfSequenceTokenId: 1);
        using var decoder = new ReferenceStepDecoder(new[] { 4, 9 }, new ReferenceDecoderOptions { VocabularySize = 5, Seed = 1 });
        using var constraint = new TrieConstraint(trie, decoder.Device);
        var result = new BeamSearch(new BeamSearchOptions { Beams = 10 }).Search(decoder, constraint);
        foreach (var hits in result.Queries)
        {
            Assert.Equal(3, hits.Count);
            Assert.Equal(new[] { 0, 1, 2 }, hits.Select(h => h.Item).Order());
            Assert.All(hits, h => Assert.True(float.IsFinite(h.LogProbability)));
        }
    }

    [Fact]
    public void The_decoder_is_started_once_and_stepped_once_per_trie_level()
    {
        var scenario = new SearchScenario([3, 3, 3], 20, false, true, 2, 4, BeamScoring.SumLogProb, 11);
        using var decoder = scenario.Decoder();
        var result = scenario.Search(decoder, topK: 3);
        Assert.Equal(scenario.Trie.Depth, decoder.StepCount);
        Assert.All(result.Queries, q => Assert.Equal(3, q.Count));
        Assert.Equal(0, result.InvalidIdentifierRate(scenario.Trie));
    }

    [Fact]
    public void A_shorter_max_length_returns_only_identifiers_completed_within_it()
    {
        var trie = PrefixTrie.FromSequences(new[] { new[] { 2 }, new[] { 3, 4 }, new[] { 4, 4, 4 } }, endOfSequenceTokenId: 1);
        using var decoder = new ReferenceStepDecoder(new[] { 0 }, new ReferenceDecoderOptions { VocabularySize = 5 });
        using var constraint = new TrieConstraint(trie, decoder.Device);
        var result = new BeamSearch(new BeamSearchOptions { Beams = 5, MaxLength = 3 }).Search(decoder, constraint);
        Assert.Equal(new[] { 0, 1 }, result[0].Select(h => h.Item).Order());
    }

    [Fact]
    public void A_trie_on_another_device_or_with_tokens_outside_the_vocabulary_is_refused()
    {
        var trie = PrefixTrie.FromSequences(new[] { new[] { 2, 9 } });
        using var decoder = new ReferenceStepDecoder(new[] { 0 }, new ReferenceDecoderOptions { VocabularySize = 5 });
        using var constraint = new TrieConstraint(trie, decoder.Device);
        var e = Assert.Throws<ArgumentException>(() => new BeamSearch().Search(decoder, constraint));
        Assert.Contains("token id 9", e.Message);
    }
}
