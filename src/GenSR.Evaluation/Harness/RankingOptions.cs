using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>How test and validation cases are ranked and scored; the same options apply to every compared system.</summary>
public sealed record RankingOptions
{
    /// <summary>The metric cutoffs K: Recall@K, NDCG@K and MRR@K are reported for each. Default 5, 10, 20; each in [1, 1000].</summary>
    /// <exception cref="ArgumentException">The list is empty or a cutoff is outside [1, 1000].</exception>
    public IReadOnlyList<int> Cutoffs
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Cutoffs));
            var sorted = value.Distinct().Order().ToArray();
            if (sorted.Length == 0) throw new ArgumentException("RankingOptions.Cutoffs must hold at least one cutoff.", nameof(Cutoffs));
            if (sorted[0] < 1 || sorted[^1] > 1000)
                throw new ArgumentException($"RankingOptions.Cutoffs must be in [1, 1000]; got {string.Join(", ", sorted)}.", nameof(Cutoffs));
            field = sorted;
        }
    } = [5, 10, 20];

    /// <summary>
    /// Whether full ranking ignores the items the user interacted with before the target (all of them, not only the
    /// capped history). The target itself is never ignored. Default <c>true</c>, the usual choice for data without
    /// repeated interactions; every report says which was used.
    /// </summary>
    public bool ExcludeSeenItemsInFullRanking { get; init; } = true;

    /// <summary>
    /// The sampled protocol's candidates: 1 positive + <see cref="SampledCandidatesOptions.NegativeCount"/> seeded negatives
    /// (default 99, the GenSR reference code's protocol). The same candidates are drawn for every system.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public SampledCandidatesOptions Sampled
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Sampled), "RankingOptions.Sampled must not be null.");
    } = new();

    /// <summary>Cases handed to a system per call; in [1, 65,536]. Default 256 (bounds the [cases, catalogue] score buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "RankingOptions.BatchSize must be in [1, 65536].");
    } = 256;

    /// <summary>The largest cutoff, which is also the list length asked of generators.</summary>
    public int MaxCutoff => Cutoffs[^1];

    /// <summary>One line for reports saying how a protocol treats seen items and candidates.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="catalogSize">Items in the catalogue.</param>
    public string Describe(EvaluationProtocol protocol, int catalogSize) => protocol switch
    {
        EvaluationProtocol.FullRanking => $"all {catalogSize} items ranked; items the user interacted with before the target " +
                                          (ExcludeSeenItemsInFullRanking ? "excluded from the ranking" : "kept in the ranking"),
        EvaluationProtocol.Sampled => new SampledCandidates(catalogSize, Sampled).Describe(),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Expected FullRanking or Sampled."),
    };
}
