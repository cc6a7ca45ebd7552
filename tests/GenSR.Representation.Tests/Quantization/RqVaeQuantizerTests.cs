using GenSR.Core;

namespace GenSR.Representation.Tests.Quantization;

public sealed class RqVaeQuantizerTests
{
    private static readonly RqVaeOptions Small = new()
    {
        HiddenSizes = new[] { 64, 32 }, LatentDim = 8, CodebookSize = 32, Epochs = 30, BatchSize = 128, LearningRate = 3e-3, Device = TorchSharp.torch.CPU, Seed = 2,
    };

    public RqVaeQuantizerTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void Rq_vae_loss_falls_utilisation_is_reported_and_the_table_is_collision_free()
    {
        var embeddings = ClusteredVectors.Create(items: 500, dimension: 16, clusters: 15, duplicates: 20);
        var result = RqVaeQuantizer.Create(Small).Quantize(embeddings);

        var first = result.Training[0];
        var last = result.Training[^1];
        Assert.Equal(30, result.Training.Count);
        Assert.True(last.Loss < 0.3 * first.Loss, $"Loss should fall: {first.Loss:F4} → {last.Loss:F4}.");
        Assert.True(last.ReconstructionLoss < 0.3 * first.ReconstructionLoss);
        Assert.All(result.Training, epoch =>
        {
            Assert.Equal(3, epoch.Perplexity.Count);
            Assert.All(epoch.Perplexity, p => Assert.InRange(p, 1, 32));
            Assert.All(epoch.DeadCodes, d => Assert.InRange(d, 0, 32));
        });
        Assert.All(result.Levels, level =>
        {
            Assert.InRange(level.Perplexity, 2, 32);
            Assert.Equal(32 - level.UsedCodes, level.DeadCodes);
        });
        Assert.True(result.ReconstructionMse < first.ReconstructionLoss);
        Assert.True(result.RawCollisions.CollidingGroups >= 20);
        Assert.True(result.Resolution.After.IsCollisionFree);
        Assert.Equal(500, result.Identifiers.ItemCount);
        Assert.Equal("rq-vae", result.Quantizer);
        Assert.Equal(8, result.Codebooks.Dimension);
    }

    [Fact]
    public void Dead_codes_are_reseeded_from_batch_residuals()
    {
        // Far more codes than the data can use at the last levels: some die and get re-seeded.
        var embeddings = ClusteredVectors.Create(items: 256, dimension: 8, clusters: 4, noise: 0.05);
        var result = RqVaeQuantizer.Create(Small with { CodebookSize = 64, MinItemsPerCode = 1, Epochs = 8 }).Quantize(embeddings);
        Assert.Contains(result.Training, e => e.DeadCodes.Sum() > 0);
        Assert.Contains(result.Training, e => e.ReseededCodes > 0);

        var frozen = RqVaeQuantizer.Create(Small with { CodebookSize = 64, MinItemsPerCode = 1, Epochs = 8, ReseedDeadCodes = false }).Quantize(embeddings);
        Assert.All(frozen.Training, e => Assert.Equal(0, e.ReseededCodes));
    }

    [Fact]
    public void Same_seed_gives_the_same_identifiers_on_the_cpu()
    {
        var embeddings = ClusteredVectors.Create(items: 200, dimension: 8, clusters: 6);
        var options = Small with { Epochs = 4 };
        var a = RqVaeQuantizer.Create(options).Quantize(embeddings);
        var b = RqVaeQuantizer.Create(options).Quantize(embeddings);
        Assert.Equal(a.Identifiers.ToJson().ToJsonString(), b.Identifiers.ToJson().ToJsonString());
        Assert.Equal(a.Training.Select(t => t.Loss), b.Training.Select(t => t.Loss));
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_option_and_range()
    {
        Assert.Equal("CommitmentWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new RqVaeOptions { CommitmentWeight = -0.1 }).ParamName);
        var hidden = Assert.Throws<ArgumentOutOfRangeException>(() => new RqVaeOptions { HiddenSizes = new[] { 64, 0 } });
        Assert.Equal("HiddenSizes", hidden.ParamName);
        Assert.Contains("[64, 0]", hidden.Message);
        Assert.Equal("LatentDim", Assert.Throws<ArgumentOutOfRangeException>(() => new RqVaeOptions { LatentDim = 0 }).ParamName);
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => new RqVaeOptions { Epochs = 0 }).ParamName);
    }
}
