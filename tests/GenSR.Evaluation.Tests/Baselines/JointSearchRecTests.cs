using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class JointSearchRecTests
{
    [Fact]
    public void The_joint_model_learns_both_tasks_and_beats_popularity_on_validation()
    {
        var split = TestDatasets.SmallDemo;
        var progress = new RecordingProgress<SystemTrainingProgress>();
        var context = new EvaluationContext(CPU, 11, progress: progress);
        using var joint = new JointSearchRecSystem(new JointModelOptions { Training = new SequenceTrainingOptions { MaxEpochs = 10, BatchSize = 32, LearningRate = 2e-3 } });

        joint.Train(split, context);

        var metrics = context.EvaluateValidation(joint, split);
        var recommendation = metrics.Single(m => m.Task == TaskKind.Recommendation)["NDCG@10"];
        var search = metrics.Single(m => m.Task == TaskKind.Search)["NDCG@10"];
        var popularity = ValidationBaseline.PopularityNdcg10(split, TaskKind.Recommendation);
        Assert.True(recommendation > popularity + 0.05, $"recommendation NDCG@10 {recommendation:F4} vs popularity {popularity:F4}");
        Assert.True(search > popularity + 0.1, $"search NDCG@10 {search:F4} vs popularity {popularity:F4}");
        Assert.True(progress.Reports[^1].Loss < progress.Reports[0].Loss - 0.3, "the training loss falls");
    }

    [Fact]
    public void Scoring_and_retraining_leave_no_native_tensor_behind()
    {
        static long Live() => TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var split = TestDatasets.Split(40, [0, 1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12, 13, 14]);
        var options = new JointModelOptions { HiddenSize = 8, Heads = 2, Layers = 1, Training = new SequenceTrainingOptions { MaxEpochs = 2 } };
        using var joint = new JointSearchRecSystem(options);
        var context = new EvaluationContext(CPU, 3);
        var scores = new float[split.Test.Count * 40];

        joint.Train(split, context);
        joint.ScoreCatalog(TaskKind.Search, split.Test, scores);
        var afterFirst = Live();
        joint.Train(split, context);
        for (var i = 0; i < 3; i++)
        {
            joint.ScoreCatalog(TaskKind.Search, split.Test, scores);
            joint.ScoreCatalog(TaskKind.Recommendation, split.Test, scores);
        }

        Assert.Equal(afterFirst, Live());
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void The_same_seed_trains_the_same_model()
    {
        var split = TestDatasets.Split(40, [0, 1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12, 13, 14]);
        var options = new JointModelOptions { HiddenSize = 8, Heads = 2, Layers = 1, Training = new SequenceTrainingOptions { MaxEpochs = 2 } };
        float[] Train(long seed)
        {
            using var joint = new JointSearchRecSystem(options);
            joint.Train(split, new EvaluationContext(CPU, seed));
            var scores = new float[split.Test.Count * 40];
            joint.ScoreCatalog(TaskKind.Recommendation, split.Test, scores);
            return scores;
        }

        Assert.Equal(Train(5), Train(5));
        Assert.NotEqual(Train(5), Train(6));
    }
}
