using GenSR.Core;

namespace GenSR.Representation.Tests.Collaborative;

public sealed class LightGcnLearningTests
{
    private static readonly CollaborativeTrainingOptions FastTraining = new()
    {
        MaxEpochs = 12, BatchSize = 512, LearningRate = 0.01, Patience = 3, Seed = 3,
    };

    public LightGcnLearningTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void LightGcn_learns_clusters_and_beats_popularity_on_validation_recall_at_20()
    {
        var data = ClusteredInteractions.Small();
        using var model = new LightGcn(data.Graph, new LightGcnOptions { EmbeddingDim = 32, Device = TorchSharp.torch.CPU });
        using var trainer = new CollaborativeTrainer(model, data.Graph, data.Validation, FastTraining);

        var popularity = trainer.EvaluatePopularity();
        var reports = new List<CollaborativeTrainingProgress>();
        var result = trainer.Train(new SynchronousProgress<CollaborativeTrainingProgress>(reports.Add));

        var recall = Assert.NotNull(result.BestValidationRecall);
        Assert.True(recall > popularity + 0.15 && recall > 2 * popularity,
            $"LightGCN Recall@20 {recall:F3} should clearly beat popularity {popularity:F3}.");
        var losses = result.History.EpochLosses;
        Assert.True(losses[^1] < 0.6 * losses[0], $"Loss should fall: first {losses[0]:F4}, last {losses[^1]:F4}.");
        Assert.Equal(result.EpochsRun, reports.Count);
        Assert.Equal(20, result.History.RecallK);
        Assert.Equal(IdentifierSource.Collaborative, result.ItemEmbeddings.Source);
        Assert.Equal("lightgcn", result.ItemEmbeddings.Label);
        Assert.Equal((data.ItemCount, 32), (result.ItemEmbeddings.ItemCount, result.ItemEmbeddings.Dimension));
        Assert.Equal((data.UserCount, 32), (result.UserEmbeddings.Rows, result.UserEmbeddings.Dimension));
    }

    [Fact]
    public void Returned_embeddings_are_those_of_the_best_validation_epoch()
    {
        var data = ClusteredInteractions.Small(seed: 21);
        using var model = new LightGcn(data.Graph, new LightGcnOptions { EmbeddingDim = 16, Device = TorchSharp.torch.CPU });
        // A large learning rate makes validation recall peak early and then wander, so early stopping has work to do.
        using var trainer = new CollaborativeTrainer(model, data.Graph, data.Validation,
            FastTraining with { LearningRate = 0.1, Patience = 2, MaxEpochs = 15 });
        var result = trainer.Train();

        var best = result.History.Validations.MaxBy(v => v.Recall);
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(best.Recall, result.BestValidationRecall);
        using var evaluator = new FullRankingEvaluator(data.Graph, data.Validation, 20);
        using var users = result.UserEmbeddings.ToTensor();
        using var items = result.ItemEmbeddings.ToTensor();
        Assert.Equal(result.BestValidationRecall!.Value, evaluator.Recall(users, items), 6);
        Assert.Equal(result.BestValidationRecall!.Value, trainer.Evaluate(), 6); // the model holds the best weights too
        if (result.StoppedEarly) Assert.Equal(result.BestEpoch + 2, result.EpochsRun);
    }

    [Fact]
    public void Matrix_factorisation_with_bpr_learns_through_the_same_trainer()
    {
        var data = ClusteredInteractions.Small(seed: 5);
        using var model = new MatrixFactorization(data.Graph, new MatrixFactorizationOptions { EmbeddingDim = 32, Device = TorchSharp.torch.CPU });
        using var trainer = new CollaborativeTrainer(model, data.Graph, data.Validation, FastTraining with { LearningRate = 0.02 });
        var popularity = trainer.EvaluatePopularity();
        var result = trainer.Train();

        var recall = Assert.NotNull(result.BestValidationRecall);
        Assert.True(recall > popularity + 0.1, $"MF-BPR Recall@20 {recall:F3} should beat popularity {popularity:F3}.");
        Assert.True(result.History.EpochLosses[^1] < result.History.EpochLosses[0]);
        Assert.Equal("mf-bpr", result.ItemEmbeddings.Label);
    }

    [Fact]
    public void Training_is_reproducible_for_a_seed()
    {
        var data = ClusteredInteractions.Small(seed: 9);
        double[] Run()
        {
            using var model = new LightGcn(data.Graph, new LightGcnOptions { EmbeddingDim = 8, Device = TorchSharp.torch.CPU });
            using var trainer = new CollaborativeTrainer(model, data.Graph, null, FastTraining with { MaxEpochs = 2 });
            var result = trainer.Train();
            return result.History.EpochLosses.Concat(result.ItemEmbeddings.Vectors.ToArray().Take(20).Select(x => (double)x)).ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
