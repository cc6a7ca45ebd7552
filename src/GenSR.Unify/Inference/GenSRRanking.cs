using GenSR.Decoding;

namespace GenSR.Unify;

/// <summary>How <see cref="GenSRRecommender"/> ranks the catalogue.</summary>
public enum GenSRRankingMode
{
    /// <summary>Trie-constrained beam search (the default): fast, but an item outside the beams is never returned.</summary>
    BeamSearch = 0,

    /// <summary>The exact generative log-likelihood of every item's identifier (<see cref="CatalogScorer"/>).</summary>
    Exact = 1,

    /// <summary>The dense head's score of every item (needs a model with a dense head).</summary>
    Dense = 2,

    /// <summary>Exact generative log-likelihood + <see cref="GenSRRankingOptions.DenseWeight"/> · dense score (needs a dense head).</summary>
    Fused = 3,
}

/// <summary>
/// Ranking options of <see cref="GenSRRecommender"/>. Exclusions and allow-lists apply inside the ranking: modes that
/// score the whole catalogue (<see cref="GenSRRankingMode.Exact"/>, <see cref="GenSRRankingMode.Dense"/>,
/// <see cref="GenSRRankingMode.Fused"/>) give excluded items no rank, so k results are returned whenever k items remain;
/// beam search runs under the trie and the rules together (<see cref="DecodingConstraintList"/>), so its beams follow
/// allowed items only and it returns up to k of them.
/// </summary>
public sealed record GenSRRankingOptions
{
    /// <summary>How items are ranked. Default <see cref="GenSRRankingMode.BeamSearch"/>.</summary>
    public GenSRRankingMode Mode { get; init; } = GenSRRankingMode.BeamSearch;

    /// <summary>Weight w of the dense score in <see cref="GenSRRankingMode.Fused"/> (score = generative + w · dense). Default 1; finite, ≥ 0.</summary>
    public double DenseWeight
    {
        get;
        init => field = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DenseWeight), value, "GenSRRankingOptions.DenseWeight must be finite and non-negative.");
    } = 1;

    /// <summary>How exact generative scores normalise each step. Default <see cref="CatalogNormalization.Trie"/>.</summary>
    public CatalogNormalization Normalization { get; init; } = CatalogNormalization.Trie;

    /// <summary>Never return an item that is in the request's history (items already seen). Default false.</summary>
    public bool ExcludeHistory { get; init; }

    /// <summary>Never return these item ids (e.g. out of stock). Null: none.</summary>
    public IReadOnlyCollection<int>? ExcludedItems { get; init; }

    /// <summary>Return only these item ids (e.g. a category page or a region's assortment). Null: the whole catalogue.</summary>
    public IReadOnlyCollection<int>? AllowedItems { get; init; }

    /// <summary>Whether the options restrict which items may be returned.</summary>
    public bool Restricts => ExcludeHistory || ExcludedItems is { Count: > 0 } || AllowedItems is not null;

    /// <summary>Whether the mode scores the whole catalogue (every mode but beam search).</summary>
    public bool ScoresCatalog => Mode != GenSRRankingMode.BeamSearch;
}
