using GenSR.Core;
namespace GenSR.Evaluation;

/// <summary>
/// Parameters of BM25. Defaults k1 = 1.2 and b = 0.75 are the customary values discussed by Robertson &amp; Zaragoza,
/// "The Probabilistic Relevance Framework: BM25 and Beyond", Foundations and Trends in IR 3(4), 2009.
/// </summary>
public sealed record Bm25Options
{
    /// <summary>Term-frequency saturation k1, in [0, 10]; default 1.2 (0 ignores term frequency).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double K1
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 10, nameof(K1), nameof(Bm25Options));
    } = 1.2;

    /// <summary>Document-length normalisation b, in [0, 1]; default 0.75 (0 ignores length).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double B
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(B), nameof(Bm25Options));
    } = 0.75;

    /// <summary>Whether the item description is indexed besides title, brand and categories. Default <c>false</c>.</summary>
    public bool IncludeDescription { get; init; }
}
