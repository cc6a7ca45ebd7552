using System.Collections;

namespace GenSR.Core;

/// <summary>The catalogue: items with dense ids <c>0 … Count − 1</c> and unique external keys.</summary>
public sealed class ItemCatalog : IReadOnlyList<Item>
{
    private readonly Item[] _items;
    private readonly Dictionary<string, int> _byKey;

    /// <summary>Creates a catalogue; item <c>i</c> must have <see cref="Item.Id"/> = <c>i</c> and keys must be unique.</summary>
    /// <exception cref="ArgumentException">Ids are not dense and ordered, or a key repeats.</exception>
    public ItemCatalog(IEnumerable<Item> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToArray();
        _byKey = new Dictionary<string, int>(_items.Length, StringComparer.Ordinal);
        for (var i = 0; i < _items.Length; i++)
        {
            var item = _items[i] ?? throw new ArgumentException($"Item at position {i} is null.", nameof(items));
            if (item.Id != i)
                throw new ArgumentException($"Item ids must be dense and ordered: position {i} holds id {item.Id} (key \"{item.Key}\").", nameof(items));
            if (!_byKey.TryAdd(item.Key, i))
                throw new ArgumentException($"Item key \"{item.Key}\" appears twice (ids {_byKey[item.Key]} and {i}).", nameof(items));
        }
    }

    /// <summary>Number of items.</summary>
    public int Count => _items.Length;

    /// <summary>The item with dense id <paramref name="id"/>.</summary>
    public Item this[int id] =>
        (uint)id < (uint)_items.Length
            ? _items[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Item id must be in [0, {_items.Length}).");

    /// <summary>Looks an item up by its external key.</summary>
    public bool TryGetByKey(string key, out Item item)
    {
        if (_byKey.TryGetValue(key, out var id))
        {
            item = _items[id];
            return true;
        }
        item = null!;
        return false;
    }

    /// <summary>The item with external key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No item has that key.</exception>
    public Item GetByKey(string key) =>
        TryGetByKey(key, out var item) ? item : throw new ArgumentException($"No item has key \"{key}\" (catalogue of {_items.Length} items).", nameof(key));

    /// <summary>Whether <paramref name="id"/> is a valid dense item id.</summary>
    public bool Contains(int id) => (uint)id < (uint)_items.Length;

    /// <inheritdoc />
    public IEnumerator<Item> GetEnumerator() => ((IEnumerable<Item>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
