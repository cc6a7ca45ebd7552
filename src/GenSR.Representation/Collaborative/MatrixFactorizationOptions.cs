using GenSR.Core;

namespace GenSR.Representation;

/// <summary>Architecture of <see cref="MatrixFactorization"/> (MF trained with BPR, Rendle et al., UAI 2009).</summary>
public sealed record MatrixFactorizationOptions
{
    private readonly int _embeddingDim = 64;
    private readonly double _initStd = 0.1;
    private readonly ComputeDevice _device = ComputeDevice.Auto;

    /// <summary>Embedding size (default 64; 1 … 4096).</summary>
    public int EmbeddingDim
    {
        get => _embeddingDim;
        init => _embeddingDim = value is >= 1 and <= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(EmbeddingDim), value, "EmbeddingDim must be in [1, 4096].");
    }

    /// <summary>Standard deviation of the normal initialisation (default 0.1; in (0, 10]).</summary>
    public double InitStd
    {
        get => _initStd;
        init => _initStd = value is > 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(InitStd), value, "InitStd must be in (0, 10].");
    }

    /// <summary>Seed of the initialisation (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where the model lives and trains (default <see cref="ComputeDevice.Auto"/>).</summary>
    public ComputeDevice Device
    {
        get => _device;
        init => _device = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Device), value, "Device must be Auto, Cpu or Cuda.");
    }
}
