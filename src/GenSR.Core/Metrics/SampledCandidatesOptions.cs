namespace GenSR.Core;

/// <summary>Options of the sampled protocol: 1 positive + <see cref="NegativeCount"/> negatives per case.</summary>
/// <remarks>
/// The default of 99 negatives follows the GenSR reference code's protocol (arXiv 2504.06714: 1 positive + 99
/// sampled negatives); results under this protocol are not comparable to full-ranking results.
/// </remarks>
public sealed record SampledCandidatesOptions
{
    /// <summary>Negatives drawn per case, uniformly without replacement; in [1, 1,000,000]. Default 99.</summary>
    public int NegativeCount
    {
        get;
        init => field = value is >= 1 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(NegativeCount), value, "NegativeCount must be in [1, 1000000].");
    } = 99;

    /// <summary>Seed; the candidates of a case depend only on (seed, case key, target, history). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Whether the user's history items are kept out of the negatives (they are often positives the user already has). Default <c>true</c>.</summary>
    public bool ExcludeHistory { get; init; } = true;
}
