
namespace GenSR.Core.Tests.Metrics;

public class MetricsAccumulatorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Ndcg_of_rank_3_at_10_is_one_over_log2_of_4()
    {
        var accumulator = new MetricsAccumulator();
        accumulator.Add(TaskKind.Search, 3);
        var m = accumulator.Compute(TaskKind.Search);
        Assert.Equal(0.5, m.Get(RankingMetric.Ndcg, 10), Tolerance);
        Assert.Equal(1.0 / 3, m.Get(RankingMetric.Mrr, 10), Tolerance);
        Assert.Equal(1.0, m.Get(RankingMetric.Recall, 10), Tolerance);
        Assert.Equal(0.5, m["NDCG@5"], Tolerance);
    }

    [Fact]
    public void Hand_computed_means_over_four_cases()
    {
        // Ranks 1, 3, 11 and 0 (not retrieved).
        var accumulator = new MetricsAccumulator();
        accumulator.Add(TaskKind.Recommendation, [1, 3, 11, 0]);
        var m = accumulator.Compute(TaskKind.Recommendation);
        Assert.Equal(4, m.Cases);
        Assert.Equal(0.5, m["Recall@5"], Tolerance);
        Assert.Equal(0.5, m["Recall@10"], Tolerance);
        Assert.Equal(0.75, m["Recall@20"], Tolerance);
        Assert.Equal((1 + 0.5) / 4, m["NDCG@10"], Tolerance);
        Assert.Equal((1 + 0.5 + 1 / Math.Log2(12)) / 4, m["NDCG@20"], Tolerance);
        Assert.Equal((1 + 1.0 / 3) / 4, m["MRR@10"], Tolerance);
        Assert.Equal((1 + 1.0 / 3 + 1.0 / 11) / 4, m["MRR@20"], Tolerance);
        Assert.Equal(["Recall@5", "NDCG@5", "MRR@5", "Recall@10", "NDCG@10", "MRR@10", "Recall@20", "NDCG@20", "MRR@20"], m.Names);
    }

    [Fact]
    public void Tasks_are_kept_apart_and_custom_cutoffs_are_sorted()
    {
        var accumulator = new MetricsAccumulator([50, 1]);
        Assert.Equal([1, 50], accumulator.Cutoffs);
        accumulator.Add(TaskKind.Search, [1, 1]);
        accumulator.Add(TaskKind.Recommendation, [40]);
        Assert.Equal([TaskKind.Recommendation, TaskKind.Search], accumulator.Tasks);
        Assert.Equal(1.0, accumulator.Compute(TaskKind.Search)["Recall@1"]);
        Assert.Equal(0.0, accumulator.Compute(TaskKind.Recommendation)["Recall@1"]);
        Assert.Equal(1.0, accumulator.Compute(TaskKind.Recommendation)["Recall@50"]);
        Assert.Equal(2, accumulator.ComputeAll().Count);
    }

    [Fact]
    public void Merge_equals_adding_everything_to_one_accumulator()
    {
        var a = new MetricsAccumulator();
        var b = new MetricsAccumulator();
        var all = new MetricsAccumulator();
        int[] first = [1, 4, 0, 19, 25];
        int[] second = [2, 2, 7];
        a.Add(TaskKind.Search, first);
        b.Add(TaskKind.Search, second);
        all.Add(TaskKind.Search, first);
        all.Add(TaskKind.Search, second);
        a.Merge(b);
        Assert.Equal(all.Compute(TaskKind.Search).Values, a.Compute(TaskKind.Search).Values);
        Assert.Throws<ArgumentException>(() => a.Merge(new MetricsAccumulator([3])));
    }

    [Fact]
    public void Invalid_input_is_rejected_clearly()
    {
        var accumulator = new MetricsAccumulator();
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(TaskKind.Search, -1));
        var e = Assert.Throws<ArgumentException>(() => accumulator.Add(TaskKind.Search, [1, -3]));
        Assert.Contains("index 1", e.Message);
        Assert.Contains("Search", Assert.Throws<InvalidOperationException>(() => accumulator.Compute(TaskKind.Search)).Message);
        Assert.Throws<ArgumentException>(() => new MetricsAccumulator([0]));
        Assert.Throws<ArgumentException>(() => new MetricsAccumulator([]));
        Assert.Contains("available", Assert.Throws<KeyNotFoundException>(() => Compute([1])["HR@7"]).Message);
    }

    [Fact]
    public void Random_scores_under_the_sampled_protocol_give_the_chance_level_and_an_informative_model_beats_it()
    {
        // 1 positive + 99 negatives: chance Recall@10 = 10/100.
        const int cases = 4000, candidates = 100;
        var random = new Random(5);
        var randomScores = new float[cases * candidates];
        var informative = new float[cases * candidates];
        for (var i = 0; i < randomScores.Length; i++)
        {
            randomScores[i] = random.NextSingle();
            informative[i] = random.NextSingle() + (i % candidates == SampledCandidates.TargetColumn ? 0.5f : 0f);
        }
        var targets = new int[cases];
        var accumulator = new MetricsAccumulator();
        accumulator.AddScores(TaskKind.Recommendation, randomScores, candidates, targets);
        accumulator.AddScores(TaskKind.Search, informative, candidates, targets);
        var chance = accumulator.Compute(TaskKind.Recommendation);
        Assert.InRange(chance["Recall@10"], 0.085, 0.115);
        Assert.True(accumulator.Compute(TaskKind.Search)["Recall@10"] > chance["Recall@10"] + 0.3);
    }

    internal static TaskMetrics Compute(int[] ranks, IEnumerable<int>? cutoffs = null)
    {
        var accumulator = new MetricsAccumulator(cutoffs);
        accumulator.Add(TaskKind.Recommendation, ranks);
        return accumulator.Compute(TaskKind.Recommendation);
    }
}
