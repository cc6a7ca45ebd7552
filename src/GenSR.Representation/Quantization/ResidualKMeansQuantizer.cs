using System.Diagnostics;
using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Residual k-means (RQ-KMeans): level 0 clusters the item vectors into K centroids, every further level clusters the
/// residuals left by the levels before; an item's identifier is its centroid index at each level. Clustering runs on the
/// device (k-means++ seeding, batched Lloyd iterations), seeded per level. Collisions are resolved as configured, so the
/// table is always collision-free.
/// </summary>
public sealed class ResidualKMeansQuantizer : IItemQuantizer
{
    private ResidualKMeansQuantizer(ResidualKMeansOptions options) => Options = options;

    /// <summary>Creates the quantizer.</summary>
    /// <param name="options">Levels, codebook size, iterations, collision strategy, seed and device; defaults (3 × 256) when null.</param>
    public static ResidualKMeansQuantizer Create(ResidualKMeansOptions? options = null) => new(options ?? new ResidualKMeansOptions());

    /// <summary>The settings.</summary>
    public ResidualKMeansOptions Options { get; }

    /// <inheritdoc />
    public string Name => "rq-kmeans";

    /// <summary>
    /// Codes per level used for a catalogue of <paramref name="itemCount"/> items:
    /// <c>min(CodebookSize, max(2, ⌊items / MinItemsPerCode⌋), items)</c> (e.g. 256 from 1,024 items up with the defaults, 25 for 100 items).
    /// </summary>
    public int EffectiveCodebookSize(int itemCount) => CodebookSizing.Effective(itemCount, Options.CodebookSize, Options.MinItemsPerCode);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are no items.</exception>
    public ItemQuantization Quantize(ItemEmbeddings embeddings, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.ItemCount == 0) throw new ArgumentException("There are no items to quantise.", nameof(embeddings));
        return Run([(embeddings, Options.Levels)], embeddings.Source, progress, cancellationToken);
    }

    /// <summary>
    /// Text-first identifiers: the first <paramref name="textLevels"/> levels cluster the text vectors (residual k-means),
    /// the remaining <c>Levels − textLevels</c> levels cluster the collaborative vectors (residual k-means of their own), so
    /// that an identifier's prefix says what an item is and its suffix who uses it. Collisions are resolved on the last
    /// collaborative level, as in <see cref="Quantize"/>.
    /// </summary>
    /// <param name="semantic">Text vectors (source <see cref="IdentifierSource.Semantic"/>).</param>
    /// <param name="collaborative">Collaborative vectors of the same items (source <see cref="IdentifierSource.Collaborative"/>).</param>
    /// <param name="textLevels">Levels taken from the text vectors, 1 … Levels − 1. Default 1.</param>
    /// <param name="progress">Per-level progress.</param>
    /// <param name="cancellationToken">Checked between levels.</param>
    /// <exception cref="ArgumentException">A source is not the expected view, or the item counts differ, or there are no items.</exception>
    public ItemQuantization QuantizeTextFirst(ItemEmbeddings semantic, ItemEmbeddings collaborative, int textLevels = 1,
                                             IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(collaborative);
        if (semantic.Source != IdentifierSource.Semantic) throw new ArgumentException(
            $"Expected text vectors, got {semantic.Source} vectors (\"{semantic.Label}\").", nameof(semantic));
        if (collaborative.Source != IdentifierSource.Collaborative)
            throw new ArgumentException($"Expected collaborative vectors, got {collaborative.Source} vectors (\"{collaborative.Label}\").",
                nameof(collaborative));
        if (semantic.ItemCount != collaborative.ItemCount)
            throw new ArgumentException($"The text vectors cover {semantic.ItemCount} items but the collaborative vectors {collaborative.ItemCount}.",
                nameof(collaborative));
        if (semantic.ItemCount == 0) throw new ArgumentException("There are no items to quantise.", nameof(semantic));
        if (textLevels < 1 || textLevels >= Options.Levels)
            throw new ArgumentOutOfRangeException(nameof(textLevels), textLevels,
                $"textLevels must be in [1, {Options.Levels - 1}] (Levels − 1), so that both views get a level.");
        return Run([(semantic, textLevels), (collaborative, Options.Levels - textLevels)], IdentifierSource.TextFirst, progress, cancellationToken);
    }

    /// <summary>Residual k-means over consecutive stages, each clustering its own vectors for its number of levels.</summary>
    private ItemQuantization Run(IReadOnlyList<(ItemEmbeddings Vectors, int Levels)> stages, IdentifierSource source,
                                 IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var device = TorchRuntime.Resolve(Options.Device);
        var n = stages[0].Vectors.ItemCount;
        var levels = stages.Sum(s => s.Levels);
        var k = EffectiveCodebookSize(n);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codeColumns = new List<Tensor>();
        var centroidLevels = new List<EmbeddingMatrix>();
        var statistics = new List<CodebookLevelStatistics>();
        Tensor? lastResidual = null, lastCentroids = null;
        var level = 0;
        foreach (var (vectors, stageLevels) in stages)
        {
            var residual = vectors.ToTensor(device);
            for (var l = 0; l < stageLevels; l++, level++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var generator = new Generator(unchecked((ulong)(Options.Seed * 1_000_003L + level)), device);
                var (centroids, assignments, _) = KMeans.Fit(residual, k, Options.MaxIterations, Options.Tolerance, generator, cancellationToken);
                lastResidual = residual;
                lastCentroids = centroids;
                residual = residual.Minus(centroids.index_select(0, assignments));
                codeColumns.Add(assignments);
                centroidLevels.Add(EmbeddingMatrix.FromTensor(centroids));
                var counts = assignments.bincount(null, k).cpu().data<long>().ToArray();
                var mse = residual.Squared().mean().item<float>();
                statistics.Add(new CodebookLevelStatistics(level, k, counts.Count(c => c > 0), CodebookLevelStatistics.PerplexityOf(counts), mse));
                progress?.Report(new QuantizationProgress($"level {level + 1}/{levels}", level + 1, levels, mse));
            }
        }

        var codes = ToCodes(stack(codeColumns, 1));
        var rawCodes = codes.Select(c => (IReadOnlyList<int>)c.ToArray()).ToArray();
        var rawCollisions = CollisionReport.Measure(rawCodes);
        var levelSizes = Enumerable.Repeat(k, levels).ToArray();
        var (resolved, sizes, resolution) = CollisionResolver.Resolve(codes, levelSizes, Options.Collisions,
            items => SquaredDistances(lastResidual!, lastCentroids!, items));
        var table = new IdentifierTable(resolved, sizes);
        return new ItemQuantization(Name, source, table, rawCodes, rawCollisions, resolution, statistics,
            new ResidualCodebooks(centroidLevels), statistics[^1].ResidualMse, Array.Empty<QuantizerEpochStatistics>(), clock.Elapsed);
    }

    /// <summary>Codes int64 <c>[n, L]</c> → one managed array per item.</summary>
    internal static int[][] ToCodes(Tensor codes)
    {
        var n = (int)codes.shape[0];
        var levels = (int)codes.shape[1];
        using var cpu = codes.to(ScalarType.Int32).cpu().contiguous();
        var flat = cpu.data<int>().ToArray();
        var result = new int[n][];
        for (var i = 0; i < n; i++) result[i] = flat.AsSpan(i * levels, levels).ToArray();
        return result;
    }

    /// <summary>Squared distances <c>[items][codes]</c> of the given items' residuals to every centroid.</summary>
    internal static double[][] SquaredDistances(Tensor residuals, Tensor centroids, int[] items)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(items.Select(i => (long)i).ToArray()).to(residuals.device);
        var rows = residuals.index_select(0, index);
        var d =
            rows.Squared().sum(1, keepdim: true).Minus(rows.mm(centroids.t()).MulScalar(2L)).Plus(centroids.Squared().sum(1).unsqueeze(0)).ClampMinScalar(0L);
        using var cpu = d.to(ScalarType.Float64).cpu().contiguous();
        var flat = cpu.data<double>().ToArray();
        var k = (int)centroids.shape[0];
        var result = new double[items.Length][];
        for (var i = 0; i < items.Length; i++) result[i] = flat.AsSpan(i * k, k).ToArray();
        return result;
    }
}
