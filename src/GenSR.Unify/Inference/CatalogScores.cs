namespace GenSR.Unify;

/// <summary>
/// Scores of every catalogue item for a batch of requests (<see cref="GenSRInference.ScoreCatalog"/>), row-major
/// <c>[Rows, Items]</c>, item id = column: the exact generative log-likelihood of each identifier and the dense head's score.
/// </summary>
/// <param name="Rows">Number of requests.</param>
/// <param name="Items">Catalogue size.</param>
/// <param name="Generative">Generative log-likelihoods, or null when not computed.</param>
/// <param name="Dense">Dense scores, or null when not computed.</param>
public sealed record CatalogScores(int Rows, int Items, float[]? Generative, float[]? Dense)
{
    /// <summary>
    /// The fused ranking score <c>generative + weight · dense</c> per item: the generative part alone when
    /// <paramref name="weight"/> is 0, and the dense part alone when it is +∞ (the limit of the ranking) or when only the
    /// dense part was computed.
    /// </summary>
    /// <param name="weight">Weight of the dense score; non-negative, +∞ allowed.</param>
    /// <exception cref="InvalidOperationException">A part the weight needs was not computed.</exception>
    public float[] Fused(double weight)
    {
        if (double.IsNaN(weight) || weight < 0) throw new ArgumentOutOfRangeException(nameof(weight), weight,
            "The dense weight must be non-negative (+∞ ranks by the dense score alone).");
        if (double.IsPositiveInfinity(weight))
            return Dense is not null ? (float[])Dense.Clone() : throw new InvalidOperationException("No dense scores were computed.");
        if (Generative is null)
            return Dense is not null && weight > 0 ? (float[])Dense.Clone() : throw new InvalidOperationException("No generative scores were computed.");
        if (weight == 0) return (float[])Generative.Clone();
        if (Dense is null) throw new InvalidOperationException("No dense scores were computed.");
        var fused = new float[Generative.Length];
        var w = (float)weight;
        for (var i = 0; i < fused.Length; i++) fused[i] = Generative[i] + w * Dense[i];
        return fused;
    }

    /// <summary>The ranking score of <paramref name="mode"/>: the generative part (<see cref="GenSRRankingMode.Exact"/>), the dense part
    /// (<see cref="GenSRRankingMode.Dense"/>) or <see cref="Fused"/> with <paramref name="denseWeight"/>. The parts are returned, not copied.</summary>
    /// <exception cref="InvalidOperationException">A part the mode needs was not computed, or the mode is beam search.</exception>
    public float[] For(GenSRRankingMode mode, double denseWeight) => mode switch
    {
        GenSRRankingMode.Exact => Generative ?? throw new InvalidOperationException("No generative scores were computed."),
        GenSRRankingMode.Dense => Dense ?? throw new InvalidOperationException("No dense scores were computed."),
        GenSRRankingMode.Fused => Fused(denseWeight),
        _ => throw new InvalidOperationException($"{mode} does not rank from catalogue scores."),
    };
}
