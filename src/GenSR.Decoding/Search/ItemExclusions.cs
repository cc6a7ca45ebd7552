using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// Items a query may not return: one list for every query (e.g. out of stock), or one list per query (e.g. the items each
/// user has already seen).
/// </summary>
public sealed class ItemExclusions : IItemRule
{
    private ItemExclusions(IReadOnlyList<int>? shared, IReadOnlyList<IReadOnlyList<int>>? perQuery)
    {
        Shared = shared;
        PerQuery = perQuery;
    }

    /// <summary>The items no query may return, or <c>null</c> when the exclusions are per query.</summary>
    public IReadOnlyList<int>? Shared { get; }

    /// <summary>Per query of the search, the items it may not return, or <c>null</c> when one list applies to every query.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? PerQuery { get; }

    /// <summary>No query may return <paramref name="items"/>.</summary>
    public static ItemExclusions ForAll(IEnumerable<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new ItemExclusions(items.Distinct().ToArray(), null);
    }

    /// <summary>Query <c>q</c> may not return <paramref name="perQuery"/>[q]; the list has one entry per query of the search.</summary>
    public static ItemExclusions PerQueryLists(IEnumerable<IEnumerable<int>> perQuery)
    {
        ArgumentNullException.ThrowIfNull(perQuery);
        return new ItemExclusions(null, perQuery.Select(q =>
            (IReadOnlyList<int>)(q ?? throw new ArgumentException("A query's exclusion list is null.", nameof(perQuery))).Distinct().ToArray()).ToArray());
    }

    /// <inheritdoc />
    public void Restrict(Tensor allowed)
    {
        var (queries, itemCount) = ItemRules.CheckShape(allowed);
        if (PerQuery is not null && PerQuery.Count != queries)
            throw new ArgumentException($"ItemExclusions has lists for {PerQuery.Count} queries, but the search has {queries}.", nameof(allowed));
        var flat = new List<long>();
        for (var q = 0; q < queries; q++)
            foreach (var item in PerQuery?[q] ?? Shared!)
                flat.Add(q * itemCount + ItemRules.CheckItem(item, itemCount, nameof(ItemExclusions)));
        if (flat.Count == 0) return;
        using var scope = NewDisposeScope();
        var index = tensor(flat.ToArray(), device: allowed.device);
        allowed.view(-1).index_put_(zeros(1, dtype: ScalarType.Bool, device: allowed.device), index);
    }
}
