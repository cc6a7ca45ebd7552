using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Draws one negative item per (user, positive) pair uniformly over all items, on the device. Draws that hit a training
/// item of the user are redrawn a fixed number of rounds (membership by binary search in the sorted
/// <c>user · items + item</c> keys), so no per-pair managed loop and no device synchronisation is needed.
/// </summary>
internal sealed class NegativeSampler : IDisposable
{
    private readonly Tensor _sortedKeys;
    private readonly long _itemCount;
    private readonly int _rounds;
    private readonly Generator _generator;
    private readonly Device _device;

    public NegativeSampler(InteractionGraph graph, int rounds, Generator generator, Device device)
    {
        _itemCount = graph.ItemCount;
        _rounds = rounds;
        _generator = generator;
        _device = device;
        var keys = new long[graph.PairCount];
        var offsets = graph.UserOffsets;
        var items = graph.Items;
        for (var u = 0; u < graph.UserCount; u++)
            for (var p = offsets[u]; p < offsets[u + 1]; p++)
                keys[p] = (long)u * _itemCount + items[p]; // CSR order is already sorted by (user, item)
        using var cpu = tensor(keys);
        _sortedKeys = cpu.to(device);
    }

    /// <summary>Negatives int64 <c>[batch]</c> for users int64 <c>[batch]</c>.</summary>
    public Tensor Sample(Tensor users)
    {
        using var scope = NewDisposeScope();
        var negatives = randint(0, _itemCount, users.shape, ScalarType.Int64, _device, generator: _generator);
        for (var r = 0; r < _rounds; r++)
        {
            var hit = IsPositive(users, negatives);
            var redraw = randint(0, _itemCount, users.shape, ScalarType.Int64, _device, generator: _generator);
            negatives = where(hit, redraw, negatives);
        }
        return negatives.MoveToOuterDisposeScope();
    }

    /// <summary>Whether each (user, item) is a training pair: bool <c>[batch]</c>.</summary>
    public Tensor IsPositive(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        var keys = users.MulScalar(_itemCount).Plus(items);
        var position = searchsorted(_sortedKeys, keys).ClampMaxScalar(Math.Max(0, _sortedKeys.shape[0] - 1));
        return _sortedKeys.index_select(0, position.reshape(-1)).reshape(keys.shape).eq(keys).MoveToOuterDisposeScope();
    }

    public void Dispose() => _sortedKeys.Dispose();
}
