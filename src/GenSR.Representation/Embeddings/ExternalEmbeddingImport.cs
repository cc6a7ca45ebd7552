namespace GenSR.Representation;

/// <summary>The outcome of importing external item vectors: the aligned vectors and the coverage report.</summary>
/// <param name="Embeddings">One vector per catalogue item, row = dense item id.</param>
/// <param name="Coverage">Counts and sample keys of matched, missing and unknown items.</param>
public sealed record ExternalEmbeddingImport(ItemEmbeddings Embeddings, EmbeddingCoverage Coverage);
