using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Decoding.Tests.Support;
using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Search;

public sealed class CatalogScorerTests
{
    private const float Tolerance = 1e-4f;

    [Property(MaxTest = 40)]
    public Property Vocabulary_scores_equal_the_sum_of_per_step_log_probabilities_of_every_item() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            using var decoder = scenario.Decoder();
            var exact = ExhaustiveSequenceScorer.Score(decoder, scenario.AllSequences());
            var scores = Score(scenario, decoder, CatalogNormalization.Vocabulary);
            for (var q = 0; q < scenario.Queries; q++)
                for (var i = 0; i < scenario.Table.ItemCount; i++)
                    Assert.True(Math.Abs(exact[q, i] - scores[q, i]) < Tolerance, $"{scenario}: query {q}, item {i}: {scores[q, i]}, exactly {exact[q, i]}");
        });

    [Property(MaxTest = 40)]
    public Property Trie_scores_renormalise_every_step_over_the_prefix_children() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            using var decoder = scenario.Decoder();
            var expected = ConstrainedReference(scenario, decoder);
            var scores = Score(scenario, decoder, CatalogNormalization.Trie);
            for (var q = 0; q < scenario.Queries; q++)
            {
                var total = 0.0;
                for (var i = 0; i < scenario.Table.ItemCount; i++)
                {
                    Assert.True(Math.Abs(expected[q][i] - scores[q, i]) < Tolerance, $"{scenario}: query {q}, item {i}: {scores[q, i]}, expected {expected[q][i]}");
                    total += Math.Exp(scores[q, i]);
                }

                Assert.True(Math.Abs(total - 1) < 1e-3, $"{scenario}: item probabilities sum to {total}");
            }
        });

    [Property(MaxTest = 30)]
    public Property Several_passes_over_groups_of_subtrees_give_the_same_scores_as_one() =>
        Prop.ForAll(Scenarios.Arbitrary(), Gen.Elements(CatalogNormalization.Vocabulary, CatalogNormalization.Trie).ToArbitrary(), (scenario, normalization) =>
        {
            using var decoder = scenario.Decoder();
            var one = new CatalogScorer(scenario.Trie, normalization);
            var many = new CatalogScorer(scenario.Trie, normalization, maxRowsPerStep: 1);
            Assert.Equal(1, one.Passes);
            // Every first-level node with a decoded node below it starts a pass of its own.
            if (normalization == CatalogNormalization.Vocabulary && scenario.WithEndOfSequence) Assert.Equal(scenario.Trie.ChildCount(0), many.Passes);
            using var a = one.Score(decoder);
            using var b = many.Score(decoder);
            var (x, y) = (a.data<float>().ToArray(), b.data<float>().ToArray());
            for (var i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) < Tolerance, $"{scenario} {normalization}: {x[i]} vs {y[i]} at {i}");
        });

    [Property(MaxTest = 30)]
    public Property Trie_scores_from_candidate_logits_equal_those_from_full_log_probabilities() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            using var decoder = scenario.Decoder();
            var scorer = new CatalogScorer(scenario.Trie, CatalogNormalization.Trie);
            using var candidates = scorer.Score(decoder);                              // ICandidateStepDecoder path
            using var full = scorer.Score(new PlainStepDecoder(decoder));             // Step + gather path
            var (x, y) = (candidates.data<float>().ToArray(), full.data<float>().ToArray());
            for (var i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) < Tolerance, $"{scenario}: {x[i]} vs {y[i]} at {i}");
        });

    [Property(MaxTest = 20)]
    public Property Trie_normalisation_decodes_no_more_rows_than_vocabulary_normalisation() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            var vocabulary = new CatalogScorer(scenario.Trie, CatalogNormalization.Vocabulary);
            var trie = new CatalogScorer(scenario.Trie, CatalogNormalization.Trie);
            var inner = Enumerable.Range(0, scenario.Trie.NodeCount).Count(n => scenario.Trie.ChildCount(n) > 0);
            Assert.Equal(inner, vocabulary.RowsPerQuery);
            Assert.True(trie.RowsPerQuery <= vocabulary.RowsPerQuery);
        });

    [Fact]
    public void A_single_child_chain_needs_no_decoding_under_trie_normalisation()
    {
        // One item: every step has one valid token, so its constrained likelihood is 1 and nothing is decoded.
        var scenario = new SearchScenario([3, 3], 1, false, true, 2, 1, BeamScoring.SumLogProb, 7);
        using var decoder = scenario.Decoder();
        var scorer = new CatalogScorer(scenario.Trie, CatalogNormalization.Trie);
        Assert.Equal(0, scorer.RowsPerQuery);
        using var scores = scorer.Score(decoder);
        Assert.Equal(new long[] { 2, 1 }, scores.shape);
        Assert.All(scores.data<float>().ToArray(), s => Assert.Equal(0f, s));
        Assert.Equal(0, decoder.StepCount);
    }

    [Fact]
    public void The_decoder_is_stepped_once_per_depth()
    {
        var scenario = new SearchScenario([4, 3, 2], 20, false, true, 3, 4, BeamScoring.SumLogProb, 11);
        using var decoder = scenario.Decoder();
        using var _ = new CatalogScorer(scenario.Trie).Score(decoder);
        Assert.Equal(scenario.Trie.Depth, decoder.StepCount);
    }

    [Fact]
    public void A_decoder_whose_vocabulary_lacks_the_trie_tokens_is_refused()
    {
        var scenario = new SearchScenario([4, 3], 10, false, true, 1, 4, BeamScoring.SumLogProb, 3);
        using var decoder = new ReferenceStepDecoder([1], scenario.DecoderOptions with { VocabularySize = 4 });
        var error = Assert.Throws<ArgumentException>(() => new CatalogScorer(scenario.Trie).Score(decoder));
        Assert.Contains("vocabulary", error.Message);
    }

    [Fact]
    public void Queries_per_call_follows_the_budget()
    {
        var scenario = new SearchScenario([4, 3], 10, false, true, 1, 4, BeamScoring.SumLogProb, 3);
        var scorer = new CatalogScorer(scenario.Trie);
        Assert.Equal(1, scorer.QueriesPerCall(1000, floatBudget: 1));
        Assert.Equal(8, scorer.QueriesPerCall(1000, floatBudget: 8L * scorer.MaxWidth * 1000));
    }

    private static float[,] Score(SearchScenario scenario, ReferenceStepDecoder decoder, CatalogNormalization normalization)
    {
        using var scores = new CatalogScorer(scenario.Trie, normalization).Score(decoder);
        Assert.Equal(new long[] { scenario.Queries, scenario.Table.ItemCount }, scores.shape);
        var flat = scores.data<float>().ToArray();
        var result = new float[scenario.Queries, scenario.Table.ItemCount];
        for (var q = 0; q < scenario.Queries; q++)
            for (var i = 0; i < scenario.Table.ItemCount; i++) result[q, i] = flat[q * scenario.Table.ItemCount + i];
        return result;
    }

    /// <summary>
    /// Brute force: the log-probability of every prefix by feeding it token by token, then each item's sum over its steps of
    /// log P(token | prefix) minus the log of the total probability of the prefix's valid continuations.
    /// </summary>
    private static double[][] ConstrainedReference(SearchScenario scenario, ReferenceStepDecoder decoder)
    {
        var sequences = scenario.AllSequences();
        var prefixes = sequences.SelectMany(s => Enumerable.Range(1, s.Count).Select(n => s.Take(n).ToArray()))
            .DistinctBy(p => string.Join(",", p)).ToList();
        var logp = ExhaustiveSequenceScorer.Score(decoder, prefixes.Select(p => (IReadOnlyList<int>)p).ToList());
        var result = new double[scenario.Queries][];
        for (var q = 0; q < scenario.Queries; q++)
        {
            var byPrefix = new Dictionary<string, double> { [""] = 0 };
            for (var j = 0; j < prefixes.Count; j++) byPrefix[string.Join(",", prefixes[j])] = logp[q, j];
            // Children of each prefix: the prefixes one token longer.
            var children = prefixes.GroupBy(p => string.Join(",", p.Take(p.Length - 1))).ToDictionary(g => g.Key, g => g.Select(p => byPrefix[string.Join(",", p)]).ToArray());
            result[q] = sequences.Select(s =>
            {
                var total = 0.0;
                for (var n = 1; n <= s.Count; n++)
                {
                    var parentKey = string.Join(",", s.Take(n - 1));
                    var parent = byPrefix[parentKey];
                    var siblings = children[parentKey].Select(v => v - parent).ToArray();
                    var max = siblings.Max();
                    var logZ = max + Math.Log(siblings.Sum(v => Math.Exp(v - max)));
                    total += byPrefix[string.Join(",", s.Take(n))] - parent - logZ;
                }

                return total;
            }).ToArray();
        }

        return result;
    }
}
