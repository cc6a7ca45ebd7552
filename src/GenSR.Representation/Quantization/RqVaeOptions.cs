using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation;

/// <summary>
/// Settings of <see cref="RqVaeQuantizer"/>. Architecture defaults follow TIGER (Rajput et al., "Recommender Systems with
/// Generative Retrieval", NeurIPS 2023, §4): encoder layers 512, 256, 128 with ReLU, latent dimension 32, 3 levels × 256
/// codes, commitment weight β = 0.25, batch size 1024, k-means initialised codebooks. TIGER trains with Adagrad (learning
/// rate 0.4) for 20k epochs; the default here is Adam with learning rate 0.001 for 200 epochs, which converges far sooner.
/// </summary>
public sealed record RqVaeOptions
{
    private readonly IReadOnlyList<int> _hiddenSizes = new[] { 512, 256, 128 };
    private readonly int _latentDim = 32;
    private readonly int _levels = 3;
    private readonly int _codebookSize = 256;
    private readonly int _minItemsPerCode = 4;
    private readonly double _commitmentWeight = 0.25;
    private readonly int _epochs = 200;
    private readonly int _batchSize = 1024;
    private readonly double _learningRate = 1e-3;
    private readonly CollisionStrategy _collisions = CollisionStrategy.ReassignLastLevel;
    /// <summary>Hidden layer sizes of the encoder (the decoder mirrors them); default 512, 256, 128; 0 … 8 layers of 1 … 16,384.</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(HiddenSizes));
            if (value.Count > 8 || value.Any(h => h is < 1 or > 16_384))
                throw new ArgumentOutOfRangeException(nameof(HiddenSizes), $"[{string.Join(", ", value)}]",
                    "HiddenSizes must have at most 8 layers, each of size in [1, 16384].");
            _hiddenSizes = value.ToArray();
        }
    }

    /// <summary>Dimension of the latent space that is quantised (default 32; 1 … 4096).</summary>
    public int LatentDim
    {
        get => _latentDim;
        init => _latentDim = OptionGuard.InRange(value, 1, 4096, nameof(LatentDim), nameof(RqVaeOptions));
    }

    /// <summary>Number of residual quantisation levels (default 3; 1 … 16).</summary>
    public int Levels
    {
        get => _levels;
        init => _levels = OptionGuard.InRange(value, 1, 16, nameof(Levels), nameof(RqVaeOptions));
    }

    /// <summary>Codes per level (default 256; 2 … 65,536); small catalogues get <c>min(K, max(2, ⌊items / MinItemsPerCode⌋), items)</c>.</summary>
    public int CodebookSize
    {
        get => _codebookSize;
        init => _codebookSize = OptionGuard.InRange(value, 2, 65_536, nameof(CodebookSize), nameof(RqVaeOptions));
    }

    /// <summary>Average number of items per code below which the codebook is shrunk (default 4; 1 … 1,000).</summary>
    public int MinItemsPerCode
    {
        get => _minItemsPerCode;
        init => _minItemsPerCode = OptionGuard.InRange(value, 1, 1000, nameof(MinItemsPerCode), nameof(RqVaeOptions));
    }

    /// <summary>Commitment weight β of <c>‖sg(r) − q‖² + β‖r − sg(q)‖²</c> (default 0.25, TIGER; in [0, 10]).</summary>
    public double CommitmentWeight
    {
        get => _commitmentWeight;
        init => _commitmentWeight = OptionGuard.InRange(value, 0, 10, nameof(CommitmentWeight), nameof(RqVaeOptions));
    }

    /// <summary>Training epochs over all items (default 200; 1 … 1,000,000).</summary>
    public int Epochs
    {
        get => _epochs;
        init => _epochs = OptionGuard.InRange(value, 1, 1_000_000, nameof(Epochs), nameof(RqVaeOptions));
    }

    /// <summary>Items per batch (default 1024; at least 1).</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = OptionGuard.AtLeast(value, 1, nameof(BatchSize), nameof(RqVaeOptions));
    }

    /// <summary>Adam learning rate (default 0.001; in (0, 10]).</summary>
    public double LearningRate
    {
        get => _learningRate;
        init => _learningRate = OptionGuard.InRange(value, 0, 10, nameof(LearningRate), nameof(RqVaeOptions), minExclusive: true);
    }

    /// <summary>Whether codes unused during an epoch are re-seeded from the next batch's residuals (default <c>true</c>).</summary>
    public bool ReseedDeadCodes { get; init; } = true;

    /// <summary>How collisions are resolved (default <see cref="CollisionStrategy.ReassignLastLevel"/>).</summary>
    public CollisionStrategy Collisions
    {
        get => _collisions;
        init => _collisions = OptionGuard.Defined(value, nameof(Collisions), nameof(RqVaeOptions));
    }

    /// <summary>Seed of initialisation, shuffling and re-seeding (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where training runs; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
