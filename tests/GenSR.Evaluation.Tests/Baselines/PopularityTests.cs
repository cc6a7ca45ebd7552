using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class PopularityTests
{
    [Fact]
    public void Items_are_ordered_by_training_interaction_count_and_held_out_events_are_not_counted()
    {
        // Training parts: [5, 6], [5, 7], [5, 6]; validation and test targets (8, 9) must not count.
        var split = TestDatasets.Split(10, [5, 6, 8, 9], [5, 7, 8, 9], [5, 6, 8, 9]);
        using var popularity = new PopularitySystem();
        popularity.Train(split, new EvaluationContext(torch.CPU, 1));

        Assert.Equal(3f, popularity.Counts[5]);
        Assert.Equal(2f, popularity.Counts[6]);
        Assert.Equal(1f, popularity.Counts[7]);
        Assert.Equal(0f, popularity.Counts[8]);
        Assert.Equal(0f, popularity.Counts[9]);
    }

    [Fact]
    public void Every_case_gets_the_same_ranking_in_both_tasks()
    {
        var split = TestDatasets.Split(10, [5, 6, 8, 9], [5, 7, 8, 9], [5, 6, 8, 9]);
        using var popularity = new PopularitySystem();
        popularity.Train(split, new EvaluationContext(torch.CPU, 1));

        var evaluation = ProtocolEvaluator.Evaluate(popularity, split, split.Test, EvaluationProtocol.FullRanking,
                                                    new RankingOptions { ExcludeSeenItemsInFullRanking = false });

        Assert.Equal(2, evaluation.Tasks.Count);
        Assert.Equal(evaluation.Tasks[0].Values, evaluation.Tasks[1].Values);
        // Target 9 has count 0 like items 0-4 and 8: with ties against it, it ranks last of 10.
        Assert.Equal(0.0, evaluation.Tasks[0]["Recall@5"]);
    }
}
