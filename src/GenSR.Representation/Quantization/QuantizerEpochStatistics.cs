namespace GenSR.Representation;

/// <summary>One training epoch of a learned quantizer (RQ-VAE).</summary>
/// <param name="Epoch">Epoch number (1-based).</param>
/// <param name="Loss">Mean total loss per batch (reconstruction + quantisation).</param>
/// <param name="ReconstructionLoss">Mean reconstruction MSE per batch.</param>
/// <param name="QuantizationLoss">Mean codebook + β·commitment loss per batch, summed over levels.</param>
/// <param name="Perplexity">Per level, the perplexity of the codes used during the epoch.</param>
/// <param name="DeadCodes">Per level, codes not used during the epoch.</param>
/// <param name="ReseededCodes">Dead codes re-seeded from batch residuals at the start of this epoch.</param>
public sealed record QuantizerEpochStatistics(
    int Epoch, double Loss, double ReconstructionLoss, double QuantizationLoss, IReadOnlyList<double> Perplexity,
    IReadOnlyList<int> DeadCodes, int ReseededCodes);
