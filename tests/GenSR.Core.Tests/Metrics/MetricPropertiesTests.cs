using FsCheck;
using FsCheck.Xunit;

namespace GenSR.Core.Tests.Metrics;

public class MetricPropertiesTests
{
    private static readonly int[] Cutoffs = [1, 2, 3, 5, 10, 20, 50];

    // Maps arbitrary ints to ranks in [0, 60]: 0 = not retrieved, some beyond every cutoff.
    private static int[] ToRanks(NonEmptyArray<int> raw) => raw.Get.Select(x => (int)((uint)x % 61)).ToArray();

    [Property(MaxTest = 200)]
    public bool Every_metric_lies_in_the_unit_interval(NonEmptyArray<int> raw) =>
        MetricsAccumulatorTests.Compute(ToRanks(raw), Cutoffs).Values.Values.All(v => v is >= 0 and <= 1);

    [Property(MaxTest = 200)]
    public bool Every_metric_is_non_decreasing_in_K(NonEmptyArray<int> raw)
    {
        var m = MetricsAccumulatorTests.Compute(ToRanks(raw), Cutoffs);
        foreach (var metric in Enum.GetValues<RankingMetric>())
            for (var i = 1; i < Cutoffs.Length; i++)
                if (m.Get(metric, Cutoffs[i]) < m.Get(metric, Cutoffs[i - 1])) return false;
        return true;
    }

    [Property(MaxTest = 200)]
    public bool Mrr_is_at_most_Ndcg_which_is_at_most_Recall(NonEmptyArray<int> raw)
    {
        var m = MetricsAccumulatorTests.Compute(ToRanks(raw), Cutoffs);
        return Cutoffs.All(k => m.Get(RankingMetric.Mrr, k) <= m.Get(RankingMetric.Ndcg, k) + 1e-12
                                && m.Get(RankingMetric.Ndcg, k) <= m.Get(RankingMetric.Recall, k) + 1e-12);
    }

    [Property(MaxTest = 100)]
    public bool A_perfect_ranking_scores_one_everywhere(PositiveInt cases)
    {
        var ranks = Enumerable.Repeat(1, Math.Min(cases.Get, 500)).ToArray();
        return MetricsAccumulatorTests.Compute(ranks, Cutoffs).Values.Values.All(v => v == 1.0);
    }

    [Property(MaxTest = 100)]
    public bool Score_ranks_lie_between_one_and_the_candidate_count(NonEmptyArray<byte> rawScores, PositiveInt rawCandidates)
    {
        // Few distinct values, so ties are common.
        var candidates = 1 + rawCandidates.Get % 37;
        var rows = Math.Max(1, rawScores.Get.Length / candidates);
        var scores = Enumerable.Range(0, rows * candidates).Select(i => (float)(rawScores.Get[i % rawScores.Get.Length] % 5)).ToArray();
        var targets = Enumerable.Range(0, rows).Select(r => r % candidates).ToArray();
        var ranks = new int[rows];
        TargetRanks.FromScores(scores, candidates, targets, ranks);
        return ranks.All(r => r >= 1 && r <= candidates);
    }
}
