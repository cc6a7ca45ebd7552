namespace GenSR.Unify;

/// <summary>
/// Which items a keyed call of <see cref="IGenSRRecommender"/> may return. The filter applies inside the ranking of the
/// whole catalogue (a filtered-out item never takes a place), so k items come back whenever k items pass it.
/// </summary>
public sealed record ItemFilter
{
    /// <summary>The default: items in the request's history are not returned; everything else may be.</summary>
    public static ItemFilter Default { get; } = new();

    /// <summary>No restriction at all (history items may come back, e.g. for repeat purchases).</summary>
    public static ItemFilter None { get; } = new() { ExcludeSeen = false };

    /// <summary>Leave out the items of the request's history. Default true.</summary>
    public bool ExcludeSeen { get; init; } = true;

    /// <summary>Return only these item keys (e.g. a category page or a region's assortment); keys the catalogue does not
    /// know are ignored. Null (default): the whole catalogue.</summary>
    public IReadOnlyCollection<string>? AllowedKeys { get; init; }

    /// <summary>Never return these item keys (e.g. out of stock); keys the catalogue does not know are ignored. Null
    /// (default): none.</summary>
    public IReadOnlyCollection<string>? DeniedKeys { get; init; }
}
