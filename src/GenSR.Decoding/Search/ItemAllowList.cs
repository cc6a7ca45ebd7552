using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>Every query may return only these items (e.g. a category page or a region's assortment).</summary>
public sealed class ItemAllowList : IItemRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="items">Item ids the search may return; an empty list allows nothing.</param>
    public ItemAllowList(IEnumerable<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items.Distinct().Order().ToArray();
    }

    /// <summary>The allowed item ids, ascending.</summary>
    public IReadOnlyList<int> Items { get; }

    /// <inheritdoc />
    public void Restrict(Tensor allowed)
    {
        var itemCount = ItemRules.CheckShape(allowed).Items;
        var mask = new bool[itemCount];
        foreach (var item in Items) mask[ItemRules.CheckItem(item, itemCount, nameof(ItemAllowList))] = true;
        using var keep = tensor(mask, device: allowed.device);
        allowed.logical_and_(keep.unsqueeze(0));
    }
}
