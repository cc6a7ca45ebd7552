namespace GenSR.Representation;

/// <summary>Progress of a quantizer.</summary>
/// <param name="Stage">What runs, e.g. <c>level 2/3</c> for RQ-KMeans or <c>training</c> for RQ-VAE.</param>
/// <param name="Step">Steps done in this stage (levels or epochs).</param>
/// <param name="TotalSteps">Steps of this stage.</param>
/// <param name="Loss">The stage's current objective (residual MSE for RQ-KMeans, training loss for RQ-VAE), when known.</param>
public sealed record QuantizationProgress(string Stage, int Step, int TotalSteps, double? Loss);
