using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Decoding.Tests.Support;

namespace GenSR.Decoding.Tests.Search;

public sealed class UnconstrainedSearchTests
{
    [Property(MaxTest = 20)]
    public Property Invalid_identifier_rate_is_a_fraction_and_matches_the_results() =>
        Prop.ForAll(Scenarios.Arbitrary(allowVariable: false), scenario =>
        {
            using var decoder = scenario.Decoder();
            var steps = scenario.Trie.Depth;
            var eos = scenario.WithEndOfSequence ? SearchScenario.EndOfSequenceToken : (int?)null;
            var result = new BeamSearch(scenario.Options()).Search(decoder, new FullVocabularyConstraint(steps, eos));
            var rate = result.InvalidIdentifierRate(scenario.Trie);
            Assert.InRange(rate, 0.0, 1.0);
            var all = result.Queries.SelectMany(q => q).ToList();
            // A full vocabulary runs out of candidates only when it has fewer sequences of this length than beams.
            var sequences = Math.Pow(decoder.VocabularySize, steps);
            Assert.Equal(scenario.Queries * (int)Math.Min(scenario.Beams, sequences), all.Count);
            Assert.All(all, h => Assert.Equal(-1, h.Item));
            Assert.Equal(all.Count(h => !scenario.Trie.Contains(h.Tokens.ToArray())) / (double)all.Count, rate, 12);
        });

    [Fact]
    public void With_a_trie_of_every_reachable_sequence_nothing_is_invalid_and_both_searches_agree()
    {
        // Every sequence of 3 tokens over a vocabulary of 4 is an identifier: the constraint removes nothing.
        const int vocabulary = 4, length = 3;
        var sequences = new List<int[]>();
        for (var a = 0; a < vocabulary; a++)
            for (var b = 0; b < vocabulary; b++)
                for (var c = 0; c < vocabulary; c++)
                    sequences.Add([a, b, c]);
        var trie = PrefixTrie.FromSequences(sequences);
        var options = new ReferenceDecoderOptions { VocabularySize = vocabulary, Seed = 5 };
        var search = new BeamSearch(new BeamSearchOptions { Beams = 6 });

        using var free = new ReferenceStepDecoder(new[] { 1, 2, 3 }, options);
        var unconstrained = search.Search(free, new FullVocabularyConstraint(length));
        using var bound = new ReferenceStepDecoder(new[] { 1, 2, 3 }, options);
        using var constraint = new TrieConstraint(trie, bound.Device);
        var constrained = search.Search(bound, constraint);

        Assert.Equal(0, unconstrained.InvalidIdentifierRate(trie));
        for (var q = 0; q < 3; q++)
        {
            Assert.Equal(constrained[q].Select(h => h.Tokens), unconstrained[q].Select(h => h.Tokens));
            Assert.Equal(constrained[q].Select(h => h.LogProbability), unconstrained[q].Select(h => h.LogProbability));
        }
    }

    [Fact]
    public void A_sparse_catalogue_makes_unconstrained_output_invalid_but_never_constrained_output()
    {
        var scenario = new SearchScenario([4, 4, 4], 6, false, true, 3, 5, BeamScoring.SumLogProb, 21);
        using var free = scenario.Decoder();
        var unconstrained = new BeamSearch(scenario.Options()).Search(free, new FullVocabularyConstraint(scenario.Trie.Depth, SearchScenario.EndOfSequenceToken));
        using var bound = scenario.Decoder();
        var constrained = scenario.Search(bound);
        // 6 of the 4^3 codes (and of the 17^4 token sequences) are items: free decoding almost never hits one.
        Assert.True(unconstrained.InvalidIdentifierRate(scenario.Trie) > 0.5);
        Assert.Equal(0, constrained.InvalidIdentifierRate(scenario.Trie));
    }

    [Fact]
    public void End_of_sequence_finishes_a_hypothesis_that_then_keeps_its_score()
    {
        // A decoder whose vocabulary is tiny: some of the best sequences stop early at eos = 1.
        using var decoder = new ReferenceStepDecoder(new[] { 0, 1, 2, 3 }, new ReferenceDecoderOptions { VocabularySize = 3, Seed = 2 });
        var result = new BeamSearch(new BeamSearchOptions { Beams = 9 }).Search(decoder, new FullVocabularyConstraint(4, endOfSequenceTokenId: 1));
        var all = result.Queries.SelectMany(q => q).ToList();
        Assert.Contains(all, h => h.Tokens.Count < 4);
        foreach (var hit in all)
        {
            var eosAt = hit.Tokens.ToList().IndexOf(1);
            Assert.True(eosAt < 0 ? hit.Tokens.Count == 4 : eosAt == hit.Tokens.Count - 1, string.Join(",", hit.Tokens));
        }
        var exact = ExhaustiveSequenceScorer.Score(decoder, all.Select(h => h.Tokens).ToList());
        // Each query's hypotheses are scored against the whole batch; pick the query's own row.
        var offset = 0;
        for (var q = 0; q < result.Queries.Count; q++)
        {
            for (var r = 0; r < result[q].Count; r++) Assert.Equal(exact[q, offset + r], result[q][r].LogProbability, 4);
            offset += result[q].Count;
        }
    }
}
