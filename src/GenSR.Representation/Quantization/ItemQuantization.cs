using GenSR.Core;

namespace GenSR.Representation;

/// <summary>The outcome of <see cref="IItemQuantizer.Quantize"/>.</summary>
/// <param name="Quantizer">Name of the quantizer (e.g. <c>rq-kmeans</c>, <c>rq-vae</c>).</param>
/// <param name="Source">The view of the quantised vectors.</param>
/// <param name="Identifiers">The collision-free identifier table (row = dense item id).</param>
/// <param name="RawCodes">Per item, the quantizer's codes before collision resolution.</param>
/// <param name="RawCollisions">Collisions among <paramref name="RawCodes"/>.</param>
/// <param name="Resolution">What collision resolution did (the table it produced is collision-free).</param>
/// <param name="Levels">Per codebook level: size, used and dead codes, perplexity, residual error (of the raw codes).</param>
/// <param name="Codebooks">The centroids, in the quantised space.</param>
/// <param name="ReconstructionMse">Mean squared error per element between the input vectors and their reconstruction from the raw codes
/// (RQ-KMeans: the sum of the codes' centroids; RQ-VAE: the decoder's output for the quantised latent).</param>
/// <param name="Training">Per-epoch training statistics for learned quantizers; empty for RQ-KMeans.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record ItemQuantization(
    string Quantizer,
    IdentifierSource Source,
    IdentifierTable Identifiers,
    IReadOnlyList<IReadOnlyList<int>> RawCodes,
    CollisionReport RawCollisions,
    CollisionResolutionReport Resolution,
    IReadOnlyList<CodebookLevelStatistics> Levels,
    ResidualCodebooks Codebooks,
    double ReconstructionMse,
    IReadOnlyList<QuantizerEpochStatistics> Training,
    TimeSpan Elapsed);
