using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation;

/// <summary>Architecture of <see cref="MatrixFactorization"/> (MF trained with BPR, Rendle et al., UAI 2009).</summary>
public sealed record MatrixFactorizationOptions
{
    private readonly int _embeddingDim = 64;
    private readonly double _initStd = 0.1;
    /// <summary>Embedding size (default 64; 1 … 4096).</summary>
    public int EmbeddingDim
    {
        get => _embeddingDim;
        init => _embeddingDim = OptionGuard.InRange(value, 1, 4096, nameof(EmbeddingDim), nameof(MatrixFactorizationOptions));
    }

    /// <summary>Standard deviation of the normal initialisation (default 0.1; in (0, 10]).</summary>
    public double InitStd
    {
        get => _initStd;
        init => _initStd = OptionGuard.InRange(value, 0, 10, nameof(InitStd), nameof(MatrixFactorizationOptions), minExclusive: true);
    }

    /// <summary>Seed of the initialisation (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where the model lives and trains; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
