using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Collaborative;

public sealed class FullRankingEvaluatorTests
{
    public FullRankingEvaluatorTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void Recall_counts_targets_in_the_top_k_after_excluding_training_items()
    {
        // 4 items; user 0 trained on item 3 (masked), target item 1; user 1 target item 0; user 2 has no target.
        var graph = new InteractionGraph(3, 4, new UserItemPair[] { new(0, 3), new(1, 2), new(2, 0) });
        var targets = new ValidationTargets(new[] { 1, 0, -1 }, 4);
        using var evaluator = new FullRankingEvaluator(graph, targets, k: 1);
        // Item scores: 3 > 1 > 2 > 0 for every user (one-dimensional embeddings, user vector 1).
        using var users = tensor(new float[] { 1, 1, 1 }).reshape(3, 1);
        using var items = tensor(new float[] { 0.1f, 0.8f, 0.5f, 0.9f }).reshape(4, 1);

        // User 0: item 3 is masked, so item 1 is first → hit. User 1: item 3 is first → miss.
        Assert.Equal(0.5, evaluator.Recall(users, items), 10);
        Assert.Equal(2, evaluator.EvaluatedUserCount);

        using var evaluatorAt3 = new FullRankingEvaluator(graph, targets, k: 3);
        // User 1: item 2 masked, ranking 3, 1, 0 → item 0 at rank 3 → hit.
        Assert.Equal(1.0, evaluatorAt3.Recall(users, items), 10);
    }

    [Fact]
    public void Popularity_ranks_items_by_training_degree()
    {
        var graph = new InteractionGraph(4, 3, new UserItemPair[] { new(0, 2), new(1, 2), new(2, 2), new(3, 1), new(0, 1) });
        var targets = new ValidationTargets(new[] { -1, 1, 0, 2 }, 3);
        using var evaluator = new FullRankingEvaluator(graph, targets, k: 1);
        // Popularity: item 2 (3 users) > item 1 (2) > item 0. User 1 (trained on 2) → top is 1 → hit; user 2 (trained on 2) → top 1, target 0 → miss;
        // user 3 (trained on 1) → top 2 → hit.
        Assert.Equal(2.0 / 3, evaluator.PopularityRecall(), 10);
    }
}
