using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation;

/// <summary>Settings of <see cref="ResidualKMeansQuantizer"/> (RQ-KMeans): L levels × K codes, k-means++ seeding, Lloyd iterations.</summary>
public sealed record ResidualKMeansOptions
{
    private readonly int _levels = 3;
    private readonly int _codebookSize = 256;
    private readonly int _minItemsPerCode = 4;
    private readonly int _maxIterations = 50;
    private readonly double _tolerance = 1e-4;
    private readonly CollisionStrategy _collisions = CollisionStrategy.ReassignLastLevel;
    /// <summary>Number of levels L (default 3; 1 … 16).</summary>
    public int Levels
    {
        get => _levels;
        init => _levels = OptionGuard.InRange(value, 1, 16, nameof(Levels), nameof(ResidualKMeansOptions));
    }

    /// <summary>
    /// Codes per level K (default 256; 2 … 65,536). Small catalogues get fewer:
    /// <c>min(K, max(2, ⌊items / MinItemsPerCode⌋), items)</c>; see <see cref="ResidualKMeansQuantizer.EffectiveCodebookSize"/>.
    /// </summary>
    public int CodebookSize
    {
        get => _codebookSize;
        init => _codebookSize = OptionGuard.InRange(value, 2, 65_536, nameof(CodebookSize), nameof(ResidualKMeansOptions));
    }

    /// <summary>Average number of items per first-level code below which the codebook is shrunk (default 4; 1 … 1,000).</summary>
    public int MinItemsPerCode
    {
        get => _minItemsPerCode;
        init => _minItemsPerCode = OptionGuard.InRange(value, 1, 1000, nameof(MinItemsPerCode), nameof(ResidualKMeansOptions));
    }

    /// <summary>Lloyd iterations per level at most (default 50; 0 … 10,000; 0 keeps the k-means++ seeds).</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = OptionGuard.InRange(value, 0, 10_000, nameof(MaxIterations), nameof(ResidualKMeansOptions));
    }

    /// <summary>Stop a level when the centroids move less than this, relative (‖ΔC‖² / ‖C‖²; default 1e-4; in [0, 1)).</summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = OptionGuard.InRange(value, 0, 1, nameof(Tolerance), nameof(ResidualKMeansOptions), maxExclusive: true);
    }

    /// <summary>How collisions are resolved (default <see cref="CollisionStrategy.ReassignLastLevel"/>).</summary>
    public CollisionStrategy Collisions
    {
        get => _collisions;
        init => _collisions = OptionGuard.Defined(value, nameof(Collisions), nameof(ResidualKMeansOptions));
    }

    /// <summary>Seed of the k-means++ draws (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where the clustering runs; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
