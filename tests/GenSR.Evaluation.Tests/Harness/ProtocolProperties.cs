using FsCheck;
using FsCheck.Fluent;
using GenSR.Core;

namespace GenSR.Evaluation.Tests.Harness;

/// <summary>
/// Invariants of the harness's metrics over random histories and random scores with many ties: the pessimistic tie rule
/// computed by hand, invariance under a strictly increasing change of the scores and under the order of the cases, and
/// the sampled protocol with every unseen item as a negative equal to full ranking.
/// </summary>
public sealed class ProtocolProperties
{
    private const int Items = 24;
    private const int HistoryLength = 6;

    // Users with HistoryLength distinct items each (so every test target has the same number of items seen before it),
    // and a seed for the scores.
    private static readonly Arbitrary<(int[][] Histories, int Seed)> Inputs =
        Gen.Choose(1, 12).SelectMany(users => Gen.ArrayOf(Gen.Shuffle(Enumerable.Range(0, Items).ToArray()).Select(p => p.Take(HistoryLength).ToArray()), users)
            .SelectMany(histories => Gen.Choose(0, 10_000).Select(seed => (histories, seed)))).ToArbitrary();

    // Scores in {0, ..., 3}: most items tie with others, often with the target.
    private static float Score(int seed, EvaluationCase c, int item) => (int)((uint)HashCode.Combine(seed, c.UserId, item) % 4);

    [Fact]
    public void Full_ranking_metrics_follow_the_pessimistic_tie_rule_and_ignore_score_scale_and_case_order()
    {
        Prop.ForAll(Inputs, input =>
        {
            var (histories, seed) = input;
            var split = TestDatasets.Split(Items, histories);
            var options = new RankingOptions();
            var plain = new FunctionScorer("plain", Items, (c, i) => Score(seed, c, i));
            var scaled = new FunctionScorer("scaled", Items, (c, i) => 3 * Score(seed, c, i) + 7);
            var reversed = split.Test.Reverse().ToArray();

            var a = Ndcg(ProtocolEvaluator.Evaluate(plain, split, split.Test, EvaluationProtocol.FullRanking, options, [TaskKind.Recommendation]));
            var b = Ndcg(ProtocolEvaluator.Evaluate(scaled, split, split.Test, EvaluationProtocol.FullRanking, options, [TaskKind.Recommendation]));
            var c = Ndcg(ProtocolEvaluator.Evaluate(plain, split, reversed, EvaluationProtocol.FullRanking, options, [TaskKind.Recommendation]));

            // By hand: rank = 1 + candidates scoring higher + other candidates scoring the same; seen items are not candidates.
            var expected = split.Test.Average(tc =>
            {
                var seen = split.GetItemsSeenBefore(tc).Where(i => i != tc.TargetItemId).ToHashSet();
                var target = Score(seed, tc, tc.TargetItemId);
                var rank = 1 + Enumerable.Range(0, Items).Count(i => i != tc.TargetItemId && !seen.Contains(i) && Score(seed, tc, i) >= target);
                return rank <= 10 ? 1 / Math.Log2(rank + 1) : 0;
            });
            return (Math.Abs(a - expected) < 1e-9 && a == b && Math.Abs(a - c) < 1e-12).Label($"by hand {expected}, harness {a}, scaled {b}, reversed {c}");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Sampling_every_unseen_item_as_a_negative_ranks_like_the_full_catalogue()
    {
        Prop.ForAll(Inputs, input =>
        {
            var (histories, seed) = input;
            var split = TestDatasets.Split(Items, histories);
            var scorer = new FunctionScorer("scores", Items, (c, i) => Score(seed, c, i));
            // The test target has HistoryLength - 1 items seen before it: every other item is a negative.
            var all = new RankingOptions { Sampled = new SampledCandidatesOptions { NegativeCount = Items - HistoryLength, Seed = seed } };

            var full = ProtocolEvaluator.Evaluate(scorer, split, split.Test, EvaluationProtocol.FullRanking, all, [TaskKind.Recommendation]);
            var sampled = ProtocolEvaluator.Evaluate(scorer, split, split.Test, EvaluationProtocol.Sampled, all, [TaskKind.Recommendation]);

            var metrics = new[] { "Recall@5", "NDCG@5", "Recall@10", "NDCG@10", "MRR@20" };
            return metrics.All(m => Math.Abs(full.Tasks[0][m] - sampled.Tasks[0][m]) < 1e-12)
                .Label(string.Join(", ", metrics.Select(m => $"{m} full {full.Tasks[0][m]} sampled {sampled.Tasks[0][m]}")));
        }).QuickCheckThrowOnFailure();
    }

    private static double Ndcg(ProtocolEvaluation evaluation) => evaluation.Tasks.Single()["NDCG@10"];
}
