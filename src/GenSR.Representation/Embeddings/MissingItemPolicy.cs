namespace GenSR.Representation;

/// <summary>What to do with catalogue items that external embeddings do not cover.</summary>
public enum MissingItemPolicy
{
    /// <summary>Refuse the import with an <see cref="EmbeddingCoverageException"/> that counts and names missing items.</summary>
    Reject = 0,

    /// <summary>Give every missing item the mean of the provided vectors (reported in <see cref="EmbeddingCoverage.FilledItemCount"/>).</summary>
    FillWithMean = 1,
}
