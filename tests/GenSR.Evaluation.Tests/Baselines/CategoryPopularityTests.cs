using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class CategoryPopularityTests
{
    // Items 0-1 "Tools > Saws", 2-3 "Tools > Drills", 4-5 "Garden > Hoses". The training parts of the histories below
    // are [1, 3], [1, 3], [1, 0], [1, 0]: item 1 counts 4, items 0 and 3 count 2, the others 0.
    private static readonly ItemCatalog Catalogue = new(
    [
        new Item(0, "a", "Saw A", "", "", ["Tools", "Saws"]),
        new Item(1, "b", "Saw B", "", "", ["Tools", "Saws"]),
        new Item(2, "c", "Drill C", "", "", ["Tools", "Drills"]),
        new Item(3, "d", "Drill D", "", "", ["Tools", "Drills"]),
        new Item(4, "e", "Hose E", "", "", ["Garden", "Hoses"]),
        new Item(5, "f", "Hose F", "", "", ["Garden", "Hoses"]),
    ]);

    private static DatasetSplit Split() => LeaveOneOutSplit.Create(TestDatasets.WithHistories(Catalogue,
        [1, 3, 0, 2], [1, 3, 5, 4], [1, 0, 5, 2], [1, 0, 2, 4]));

    private static float[] Scores(TaskKind task, EvaluationCase c)
    {
        using var system = new CategoryPopularitySystem();
        system.Train(Split(), new EvaluationContext(torch.CPU, 1));
        var scores = new float[Catalogue.Count];
        system.ScoreCatalog(task, [c], scores);
        return scores;
    }

    private static int[] Ranking(float[] scores) => Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

    [Fact]
    public void Search_ranks_the_query_category_first_by_popularity_then_partial_matches_then_the_rest()
    {
        var c = new EvaluationCase(0, [], SrEvent.Recommendation(0, 2), "tools drills", 3);
        var scores = Scores(TaskKind.Search, c);
        // Exact category: 3 (count 2) before 2 (count 0); sharing "tools": 1 (4) before 0 (2); then the garden items (tied).
        Assert.Equal([3, 2, 1, 0, 4, 5], Ranking(scores));
        Assert.Equal(4f + 2f + 2f / 5 / 256, scores[3], 5);
        Assert.Equal(2f * 21 / 64 + 2f / 5 / 256, scores[0], 5); // Jaccard 1/3, rounded down to 21/64
        Assert.Equal(scores[4], scores[5]);
    }

    [Fact]
    public void Recommendation_uses_the_category_of_the_last_history_item()
    {
        var history = new[] { SrEvent.Recommendation(0, 2), SrEvent.Recommendation(0, 5) };
        var scores = Scores(TaskKind.Recommendation, new EvaluationCase(0, history, SrEvent.Recommendation(0, 4), "garden hoses", 2));
        Assert.Equal([4, 5, 1, 0, 3, 2], Ranking(scores));
    }

    [Fact]
    public void Without_words_it_falls_back_to_popularity()
    {
        var scores = Scores(TaskKind.Recommendation, new EvaluationCase(0, [], SrEvent.Recommendation(0, 4), "x", 0));
        Assert.Equal([1, 0, 3, 2, 4, 5], Ranking(scores));
    }

    [Fact]
    public void Full_ranking_reaches_the_target_category_where_popularity_does_not()
    {
        var split = Split();
        using var system = new CategoryPopularitySystem();
        system.Train(split, new EvaluationContext(torch.CPU, 1));
        var evaluation = ProtocolEvaluator.Evaluate(system, split, split.Test, EvaluationProtocol.FullRanking, new RankingOptions(), [TaskKind.Search]);
        // Test targets 2, 4, 2, 4 with seen items excluded: users 0 and 1 find theirs first; user 2 has the more popular
        // unseen drill 3 ahead; user 3's target ties with hose 5 (count 0 both), and ties count against it: rank 2.
        Assert.Equal(1.0, evaluation.Tasks[0]["Recall@5"], 6);
        Assert.Equal((2 + 2 / Math.Log2(3)) / 4, evaluation.Tasks[0]["NDCG@10"], 5);
    }
}
