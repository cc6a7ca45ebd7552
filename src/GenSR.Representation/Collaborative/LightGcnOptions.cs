using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation;

/// <summary>
/// Architecture of <see cref="LightGcn"/> (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network
/// for Recommendation", SIGIR 2020). Defaults: 64-d embeddings (the paper's fixed size), 2 propagation layers
/// (GenSR's setting), N(0, 0.1²) initialisation (the authors' released code).
/// </summary>
public sealed record LightGcnOptions
{
    private readonly int _embeddingDim = 64;
    private readonly int _layers = 2;
    private readonly double _initStd = 0.1;
    /// <summary>Embedding size (default 64; 1 … 4096).</summary>
    public int EmbeddingDim
    {
        get => _embeddingDim;
        init => _embeddingDim = OptionGuard.InRange(value, 1, 4096, nameof(EmbeddingDim), nameof(LightGcnOptions));
    }

    /// <summary>Number of propagation layers K (default 2; 1 … 8). The final embedding is the mean of layers 0 … K.</summary>
    public int Layers
    {
        get => _layers;
        init => _layers = OptionGuard.InRange(value, 1, 8, nameof(Layers), nameof(LightGcnOptions));
    }

    /// <summary>Standard deviation of the normal initialisation of the layer-0 embeddings (default 0.1; in (0, 10]).</summary>
    public double InitStd
    {
        get => _initStd;
        init => _initStd = OptionGuard.InRange(value, 0, 10, nameof(InitStd), nameof(LightGcnOptions), minExclusive: true);
    }

    /// <summary>Seed of the initialisation (default 42); the same seed gives the same initial weights on CPU and CUDA.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Where the model lives and trains; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
