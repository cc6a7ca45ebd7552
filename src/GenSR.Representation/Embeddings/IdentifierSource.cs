namespace GenSR.Representation;

/// <summary>Which view of the items a set of item vectors (and the identifiers built from them) comes from.</summary>
public enum IdentifierSource
{
    /// <summary>Text vectors from a semantic encoder (or external text embeddings).</summary>
    Semantic = 0,

    /// <summary>Collaborative-filtering vectors (LightGCN, MF-BPR, or external behaviour embeddings).</summary>
    Collaborative = 1,

    /// <summary>Concatenation of the L2-normalised collaborative and semantic vectors (see <see cref="ItemEmbeddings.Fuse"/>).</summary>
    Fused = 2,

    /// <summary>
    /// Text first: the first identifier level(s) from the text vectors, the rest from the collaborative vectors
    /// (<see cref="ResidualKMeansQuantizer.QuantizeTextFirst"/>).
    /// </summary>
    TextFirst = 3,
}
