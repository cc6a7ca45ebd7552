using GenSR.Core;

namespace GenSR.Representation.Tests.Quantization;

public sealed class ResidualKMeansQuantizerTests
{
    private static readonly ResidualKMeansOptions Small = new() { CodebookSize = 32, Device = TorchSharp.torch.CPU, Seed = 4 };

    public ResidualKMeansQuantizerTests() => TorchRuntime.SetThreads(1);

    [Theory]
    [InlineData(CollisionStrategy.ReassignLastLevel)]
    [InlineData(CollisionStrategy.AppendLevel)]
    public void Identifier_table_is_collision_free_when_duplicate_vectors_force_collisions(CollisionStrategy strategy)
    {
        var embeddings = ClusteredVectors.Create(items: 500, dimension: 16, clusters: 12, duplicates: 40);
        var result = ResidualKMeansQuantizer.Create(Small with { Collisions = strategy }).Quantize(embeddings);

        Assert.True(result.RawCollisions.CollidingGroups >= 40, $"Duplicates must collide: {result.RawCollisions}.");
        Assert.True(result.Resolution.After.IsCollisionFree);
        Assert.Equal(500, result.Identifiers.ItemCount);
        for (var i = 0; i < 500; i++)
            Assert.True(result.Identifiers.TryGetItem(result.Identifiers[i], out var item) && item == i);

        if (strategy == CollisionStrategy.AppendLevel)
        {
            Assert.Equal(4, result.Identifiers.MaxLength);
            Assert.Equal(result.RawCollisions.LargestGroup, result.Identifiers.LevelSizes[3]);
            for (var i = 0; i < 500; i++) Assert.Equal(result.RawCodes[i], result.Identifiers.GetCodes(i).Take(3));
        }
        else
        {
            Assert.Equal(3, result.Identifiers.MaxLength);
            Assert.Equal(0, result.Resolution.OverflowingPrefixes);
            // Every colliding group keeps one item on its code and moves the others.
            Assert.Equal(result.RawCollisions.CollidingItems - result.RawCollisions.CollidingGroups, result.Resolution.ReassignedItems);
            for (var i = 0; i < 500; i++) Assert.Equal(result.RawCodes[i].Take(2), result.Identifiers.GetCodes(i).Take(2)); // prefixes kept
        }
    }

    [Fact]
    public void Codes_lie_within_their_level_sizes_and_usage_is_reported()
    {
        // 2 levels × 16 codes = 256 sequences for 400 items: collisions overflow some prefixes and a level is appended.
        var embeddings = ClusteredVectors.Create(items: 400, dimension: 8, clusters: 10);
        var result = ResidualKMeansQuantizer.Create(Small with { Levels = 2, CodebookSize = 16 }).Quantize(embeddings);

        Assert.Equal(new[] { 16, 16 }, result.Identifiers.LevelSizes.Take(2));
        Assert.True(result.Resolution.OverflowingPrefixes > 0 && result.Resolution.AppendedLevel);
        foreach (var codes in result.RawCodes)
            Assert.All(codes, c => Assert.InRange(c, 0, 15));
        for (var i = 0; i < result.Identifiers.ItemCount; i++)
        {
            var codes = result.Identifiers.GetCodes(i);
            for (var l = 0; l < codes.Count; l++) Assert.InRange(codes[l], 0, result.Identifiers.LevelSizes[l] - 1);
        }
        Assert.All(result.Levels, l =>
        {
            Assert.Equal(16, l.CodebookSize);
            Assert.InRange(l.Perplexity, 1, 16);
            Assert.Equal(16 - l.UsedCodes, l.DeadCodes);
        });
    }

    [Fact]
    public void Kmeans_codes_reconstruct_far_better_than_random_codes_and_each_level_reduces_the_error()
    {
        var embeddings = ClusteredVectors.Create(items: 600, dimension: 16, clusters: 20);
        var result = ResidualKMeansQuantizer.Create(Small).Quantize(embeddings);

        var random = new Random(3);
        var randomCodes = result.RawCodes.Select(c => (IReadOnlyList<int>)c.Select(_ => random.Next(32)).ToArray()).ToArray();
        var fitted = result.Codebooks.MeanSquaredError(embeddings.Vectors, result.RawCodes);
        var baseline = result.Codebooks.MeanSquaredError(embeddings.Vectors, randomCodes);
        Assert.True(fitted < 0.2 * baseline, $"k-means MSE {fitted:F4} vs random codes {baseline:F4}.");
        Assert.Equal(result.ReconstructionMse, fitted, 3);
        Assert.True(result.Levels[0].ResidualMse > result.Levels[1].ResidualMse && result.Levels[1].ResidualMse > result.Levels[2].ResidualMse);
        // Greedy encoding with the codebooks reproduces the fitted codes of (almost) every item.
        var same = Enumerable.Range(0, 600).Count(i => result.Codebooks.Encode(embeddings[i]).SequenceEqual(result.RawCodes[i]));
        Assert.True(same >= 590, $"{same}/600 items re-encode to their codes.");
    }

    [Fact]
    public void Same_seed_gives_the_same_identifiers_and_another_seed_other_ones()
    {
        var embeddings = ClusteredVectors.Create(items: 300, dimension: 8, clusters: 8);
        var a = ResidualKMeansQuantizer.Create(Small).Quantize(embeddings);
        var b = ResidualKMeansQuantizer.Create(Small).Quantize(embeddings);
        var c = ResidualKMeansQuantizer.Create(Small with { Seed = 99 }).Quantize(embeddings);

        Assert.Equal(a.Identifiers.ToJson().ToJsonString(), b.Identifiers.ToJson().ToJsonString());
        Assert.NotEqual(a.Identifiers.ToJson().ToJsonString(), c.Identifiers.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData(100, 25)]
    [InlineData(1023, 255)]
    [InlineData(1024, 256)]
    [InlineData(100_000, 256)]
    [InlineData(5, 2)]
    [InlineData(1, 1)]
    public void Small_catalogues_get_smaller_codebooks(int items, int expected) =>
        Assert.Equal(expected, ResidualKMeansQuantizer.Create().EffectiveCodebookSize(items));

    [Fact]
    public void Tiny_catalogue_still_gets_unique_identifiers()
    {
        var embeddings = ClusteredVectors.Create(items: 6, dimension: 4, clusters: 2);
        var result = ResidualKMeansQuantizer.Create(Small).Quantize(embeddings);
        Assert.Equal(6, result.Identifiers.ItemCount);
        Assert.True(result.Resolution.After.IsCollisionFree);
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_option_and_range()
    {
        var levels = Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualKMeansOptions { Levels = 0 });
        Assert.Equal("Levels", levels.ParamName);
        Assert.Contains("[1, 16]", levels.Message);
        Assert.Equal("CodebookSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualKMeansOptions { CodebookSize = 1 }).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualKMeansOptions { Tolerance = 1 }).ParamName);
        Assert.Equal("Collisions", Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualKMeansOptions { Collisions = (CollisionStrategy)7 }).ParamName);
    }

    [Fact]
    public void Progress_is_reported_per_level_and_cancellation_stops_the_work()
    {
        var embeddings = ClusteredVectors.Create(items: 200, dimension: 4, clusters: 4);
        var reports = new List<QuantizationProgress>();
        ResidualKMeansQuantizer.Create(Small).Quantize(embeddings, new SynchronousProgress<QuantizationProgress>(reports.Add));
        Assert.Equal(new[] { 1, 2, 3 }, reports.Select(r => r.Step));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ResidualKMeansQuantizer.Create(Small).Quantize(embeddings, cancellationToken: cancelled.Token));
    }
}

public sealed class TextFirstQuantizationTests
{
    [Fact]
    public void The_first_level_follows_the_text_and_the_rest_the_collaborative_vectors()
    {
        // Text: 4 well-separated topics; collaborative vectors: unrelated blobs of their own.
        var text = ClusteredVectors.Create(items: 400, dimension: 8, clusters: 4, seed: 3, noise: 0.05);
        var cfRaw = ClusteredVectors.Create(items: 400, dimension: 8, clusters: 4, seed: 9, noise: 0.05);
        var collaborative = new ItemEmbeddings(cfRaw.Vectors, IdentifierSource.Collaborative, "cf");
        var quantizer = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 3, CodebookSize = 4, Device = TorchSharp.torch.CPU });

        var result = quantizer.QuantizeTextFirst(text, collaborative);
        Assert.Equal(IdentifierSource.TextFirst, result.Source);
        Assert.Equal(3, result.Levels.Count);

        // Items of one topic share their first code and different topics get different ones.
        var byFirst = Enumerable.Range(0, 400).GroupBy(i => result.RawCodes[i][0]).ToArray();
        var oneLevel = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 1, CodebookSize = 4, Device = TorchSharp.torch.CPU }).Quantize(text);
        foreach (var group in byFirst)
            Assert.Single(group.Select(i => oneLevel.RawCodes[i][0]).Distinct());

        // The second level is a clustering of the collaborative vectors, not of the text residual: it matches the first
        // level of a collaborative-only quantisation up to relabelling (same partition).
        double Purity(int level, Func<int, int> reference) =>
            Enumerable.Range(0, 400).GroupBy(i => result.RawCodes[i][level]).Sum(g => g.GroupBy(reference).Max(x => x.Count())) / 400.0;
        var cfOnly = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 1, CodebookSize = 4, Device = TorchSharp.torch.CPU }).Quantize(collaborative);
        var withCollaborative = Purity(1, i => cfOnly.RawCodes[i][0]);
        var withText = Purity(1, i => oneLevel.RawCodes[i][0]);
        Assert.True(withCollaborative > 0.95, $"second-level codes follow the collaborative clusters for {withCollaborative:P0} of items");
        Assert.True(withText < 0.6, $"second-level codes follow the text clusters for {withText:P0} of items");
        Assert.Equal(400, result.Identifiers.ItemCount);
    }

    [Fact]
    public void Text_first_checks_its_inputs()
    {
        var text = ClusteredVectors.Create(items: 50, dimension: 4, clusters: 2);
        var cf = new ItemEmbeddings(ClusteredVectors.Create(items: 50, dimension: 4, clusters: 2).Vectors, IdentifierSource.Collaborative, "cf");
        var quantizer = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 2, Device = TorchSharp.torch.CPU });
        Assert.Throws<ArgumentException>(() => quantizer.QuantizeTextFirst(cf, cf));
        Assert.Throws<ArgumentException>(() => quantizer.QuantizeTextFirst(text, text));
        Assert.Throws<ArgumentOutOfRangeException>(() => quantizer.QuantizeTextFirst(text, cf, textLevels: 2));
        var shorter = new ItemEmbeddings(ClusteredVectors.Create(items: 40, dimension: 4, clusters: 2).Vectors, IdentifierSource.Collaborative, "cf");
        Assert.Throws<ArgumentException>(() => quantizer.QuantizeTextFirst(text, shorter));
    }
}
