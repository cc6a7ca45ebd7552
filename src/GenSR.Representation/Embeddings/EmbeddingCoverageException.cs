namespace GenSR.Representation;

/// <summary>Thrown when external embeddings leave catalogue items uncovered (or name unknown items) and the options say to reject that.</summary>
public sealed class EmbeddingCoverageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to accept it instead.</param>
    /// <param name="coverage">The measured coverage.</param>
    public EmbeddingCoverageException(string message, EmbeddingCoverage coverage)
        : base(message)
    {
        Coverage = coverage;
    }

    /// <summary>The measured coverage (counts and sample keys).</summary>
    public EmbeddingCoverage Coverage { get; }
}
