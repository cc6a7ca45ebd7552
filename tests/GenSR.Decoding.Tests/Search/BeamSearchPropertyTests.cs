using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Decoding.Tests.Support;

namespace GenSR.Decoding.Tests.Search;

public sealed class BeamSearchPropertyTests
{
    private const float Tolerance = 1e-4f;

    [Property(MaxTest = 40)]
    public Property Every_result_is_a_distinct_trie_item_scored_by_the_decoder_best_first() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            using var decoder = scenario.Decoder();
            var result = scenario.Search(decoder);
            var exact = ExactLogProbs(scenario);
            Assert.Equal(scenario.Queries, result.Queries.Count);
            for (var q = 0; q < scenario.Queries; q++)
            {
                var hits = result[q];
                // Beams never die while the catalogue has items left to fill them.
                Assert.Equal(Math.Min(scenario.Beams, scenario.Table.ItemCount), hits.Count);
                Assert.Equal(hits.Count, hits.Select(h => h.Item).Distinct().Count());
                for (var r = 0; r < hits.Count; r++)
                {
                    var hit = hits[r];
                    Assert.True(scenario.Trie.TryGetItem(hit.Tokens.ToArray(), out var item), $"{scenario}: {string.Join(",", hit.Tokens)} is not in the trie");
                    Assert.Equal(hit.Item, item);
                    Assert.Equal(scenario.Sequence(item), hit.Tokens);
                    Assert.True(Math.Abs(exact[q, item] - hit.LogProbability) < Tolerance, $"{scenario}: item {item} scored {hit.LogProbability}, exactly {exact[q, item]}");
                    var expectedScore = scenario.Scoring == BeamScoring.SumLogProb ? hit.LogProbability : hit.LogProbability / hit.Tokens.Count;
                    Assert.Equal(expectedScore, hit.Score, 5);
                    if (r > 0) Assert.True(hits[r - 1].Score >= hit.Score, $"{scenario}: results are not sorted");
                }
            }
        });

    [Property(MaxTest = 30)]
    public Property With_as_many_beams_as_items_the_result_is_the_exact_top_k() =>
        Prop.ForAll(Scenarios.Arbitrary(beams: items => items + 2), scenario =>
        {
            using var decoder = scenario.Decoder();
            var topK = Math.Max(1, scenario.Beams / 2);
            var result = scenario.Search(decoder, topK);
            var rankings = scenario.ExhaustiveRanking(decoder);
            for (var q = 0; q < scenario.Queries; q++)
            {
                var expected = rankings[q].Take(topK).ToList();
                Assert.Equal(expected.Count, result[q].Count);
                for (var r = 0; r < expected.Count; r++)
                {
                    // Equal scores position by position (items may swap only on a tie).
                    Assert.True(Math.Abs(expected[r].Score - result[q][r].Score) < Tolerance,
                        $"{scenario}: rank {r} is item {result[q][r].Item} ({result[q][r].Score}), exhaustive says item {expected[r].Item} ({expected[r].Score})");
                }
            }
        });

    [Property(MaxTest = 30)]
    public Property With_one_beam_the_result_is_greedy_constrained_decoding() =>
        Prop.ForAll(Scenarios.Arbitrary(beams: _ => 1), scenario =>
        {
            using var decoder = scenario.Decoder();
            var result = scenario.Search(decoder);
            var greedy = GreedyOracle.Decode(decoder, scenario.Trie);
            for (var q = 0; q < scenario.Queries; q++)
            {
                Assert.Single(result[q]);
                Assert.Equal(greedy[q].Item, result[q][0].Item);
                Assert.True(Math.Abs(greedy[q].LogProb - result[q][0].LogProbability) < Tolerance);
            }
        });

    [Property(MaxTest = 25)]
    public Property Batched_results_equal_one_query_at_a_time() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            var queryIds = scenario.QueryIds;
            using var batched = scenario.Decoder(queryIds);
            var together = scenario.Search(batched);
            for (var q = 0; q < queryIds.Length; q++)
            {
                using var single = scenario.Decoder(queryIds[q]);
                var alone = scenario.Search(single);
                Assert.Equal(alone[0].Select(h => h.Item), together[q].Select(h => h.Item));
                for (var r = 0; r < alone[0].Count; r++)
                    Assert.True(Math.Abs(alone[0][r].LogProbability - together[q][r].LogProbability) < Tolerance);
            }
        });

    private static float[,] ExactLogProbs(SearchScenario scenario)
    {
        using var decoder = scenario.Decoder();
        return ExhaustiveSequenceScorer.Score(decoder, scenario.AllSequences());
    }
}
