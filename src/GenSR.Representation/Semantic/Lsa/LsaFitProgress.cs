namespace GenSR.Representation;

/// <summary>Progress of
/// <see cref="LsaTextEncoder.Fit(IReadOnlyList{string}, LsaTextEncoderOptions?, IProgress{LsaFitProgress}?, CancellationToken)"/>.</summary>
/// <param name="Stage"><c>"vocabulary"</c> (counting document frequencies), <c>"weighting"</c> (building the TF-IDF matrix)
/// or <c>"svd"</c> (the randomized SVD's passes over the matrix).</param>
/// <param name="Completed">Units of the stage done: documents for the first two stages, passes for <c>"svd"</c>.</param>
/// <param name="Total">Units of the stage in all.</param>
public readonly record struct LsaFitProgress(string Stage, int Completed, int Total);
