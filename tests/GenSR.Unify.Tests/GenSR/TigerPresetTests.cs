using GenSR.Core;
using GenSR.Representation;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// The TIGER configuration built from the library's parts, shrunk to test size: RQ-VAE identifiers of the text vectors, no
/// history views or dense head, next-item generation only; on data where one item has no text at all.
/// </summary>
public sealed class TigerPresetTests
{
    [Fact]
    public void The_preset_is_TIGERs_configuration()
    {
        var pipeline = GenSRPipelineOptions.Tiger(new GenSRPipelineOptions { Seed = 7 });
        Assert.Equal((4, 128, 1024, 6, 64, 0.1), (pipeline.Layers, pipeline.ModelDimension, pipeline.FeedForwardDimension, pipeline.Heads, pipeline.HeadDimension, pipeline.Dropout));
        Assert.Equal(IdentifierSource.Semantic, pipeline.IdentifierSource);
        Assert.Equal((3, 256, CollisionStrategy.AppendLevel, 7L), (pipeline.RqVae!.Levels, pipeline.RqVae.CodebookSize, pipeline.RqVae.Collisions, pipeline.RqVae.Seed));
        Assert.Equal(20, pipeline.PromptHistoryItems);
        Assert.False(pipeline.UseCollaborativeView || pipeline.UseSemanticView);
        Assert.Equal(0, pipeline.DenseDimension);

        var training = GenSRTrainingOptions.Tiger(new GenSRTrainingOptions { LearningRate = 2e-3 });
        Assert.Equal([TaskKind.Recommendation], training.Tasks);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (training.IndexingFraction, training.PointwiseFraction, training.DenseWeight, training.ContrastiveWeight));
        Assert.Equal(2e-3, training.LearningRate); // kept
        Assert.Throws<ArgumentException>(() => GenSRPipeline.Prepare(
            LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 20, Items = 100, Seed = 1 })),
            pipeline with { IdentifierSource = IdentifierSource.TextFirst, Device = TorchSharp.torch.CPU }));
    }

    [Fact]
    public void A_small_TIGER_learns_next_item_generation_on_data_with_an_item_without_text()
    {
        TorchRuntime.SetThreads(1);
        var demo = DemoDataset.Generate(new DemoDatasetOptions { Users = 300, Items = 150, Seed = 17 });
        // One item without any text (amazon-beauty has one), and recommendation events only.
        var catalog = new ItemCatalog(demo.Catalog.Select(i => i.Id == 5 ? i with { Title = "", Description = "", Brand = "", Categories = [] } : i));
        var histories = demo.Histories.Select(h => (IReadOnlyList<SrEvent>)h.Select(e => e with { Task = TaskKind.Recommendation, Query = null }).ToArray()).ToArray();
        var split = LeaveOneOutSplit.Create(new SrDataset("demo, recommendation only", catalog, demo.Users, histories));
        Assert.Equal(1, split.Dataset.ComputeStatistics().ItemsWithEmptyTitle);

        var options = GenSRPipelineOptions.Tiger(new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        options = options with
        {
            Layers = 1, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128, Dropout = 0, PromptHistoryItems = 8,
            RqVae = options.RqVae! with { Epochs = 60, MinItemsPerCode = 8, HiddenSizes = [64, 32], LatentDim = 16 },
        };
        var prepared = GenSRPipeline.Prepare(split, options);
        using var model = prepared.Model;
        Assert.Null(prepared.NewItems);
        Assert.Equal(150, prepared.Quantization.Identifiers.ItemCount);

        var result = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, GenSRTrainingOptions.Tiger(new GenSRTrainingOptions
        {
            Epochs = 6, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20, ValidationCases = 150,
        })).Train(split);

        var losses = result.History.Select(p => p.LanguageModelLoss).ToArray();
        Assert.True(losses[^10..].Average() < 0.8 * losses[..10].Average(), $"loss {losses[..10].Average():F3} -> {losses[^10..].Average():F3}");
        // A random ranking of the items not seen before the target: NDCG@10 = Σ_{r≤10} 1/log2(r+1) / candidates, per case.
        var random = split.Validation.Average(c =>
        {
            var candidates = 150 - split.GetItemsSeenBefore(c).Count(i => i != c.TargetItemId);
            return Enumerable.Range(1, Math.Min(10, candidates)).Sum(r => 1 / Math.Log2(r + 1)) / candidates;
        });
        Assert.True(result.BestValidationNdcg10 > 1.5 * random, $"validation NDCG@10 {result.BestValidationNdcg10:F4}, random {random:F4}");
    }
}
