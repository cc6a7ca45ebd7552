using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// A <see cref="PrefixTrie"/>'s flat arrays as int32 tensors on one device, plus one extra "dead" node (no children, no
/// item) that hypotheses without a valid continuation move to. Created by <see cref="PrefixTrie.ToDevice"/>.
/// </summary>
public sealed class DevicePrefixTrie : IDisposable
{
    private readonly object _gate = new();
    private Tensor? _itemPaths;
    private bool _disposed;

    internal DevicePrefixTrie(PrefixTrie trie, Device device)
    {
        Trie = trie;
        Device = device;
        DeadNode = trie.NodeCount;
        var offsets = new int[trie.NodeCount + 2];
        trie.ChildOffsets.CopyTo(offsets);
        offsets[^1] = offsets[^2]; // the dead node has no children
        var items = new int[trie.NodeCount + 1];
        trie.NodeItems.CopyTo(items);
        items[^1] = -1;
        ChildOffsets = Upload(offsets, device);
        NodeTokens = Upload(trie.NodeTokens.ToArray(), device);
        NodeItems = Upload(items, device);
    }

    /// <summary>The host trie these tensors were made from.</summary>
    public PrefixTrie Trie { get; }

    /// <summary>The device the tensors live on.</summary>
    public Device Device { get; }

    /// <summary>Id of the extra node without children or item (= <see cref="PrefixTrie.NodeCount"/>).</summary>
    public int DeadNode { get; }

    /// <summary>int32 <c>[NodeCount + 2]</c>: CSR offsets; the children of node <c>n</c> (the dead node included) are nodes
    /// <c>[ChildOffsets[n], ChildOffsets[n + 1])</c>.</summary>
    public Tensor ChildOffsets { get; }

    /// <summary>int32 <c>[NodeCount]</c>: the token on the edge into each node (-1 at the root).</summary>
    public Tensor NodeTokens { get; }

    /// <summary>int32 <c>[NodeCount + 1]</c>: the item whose identifier ends at each node, -1 elsewhere and at the dead node.</summary>
    public Tensor NodeItems { get; }

    /// <summary>Bytes of device memory held by the three tensors.</summary>
    public long Bytes => 4L * (ChildOffsets.numel() + NodeTokens.numel() + NodeItems.numel());

    /// <summary>Releases the device tensors.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            ChildOffsets.Dispose();
            NodeTokens.Dispose();
            NodeItems.Dispose();
            _itemPaths?.Dispose();
        }
    }

    /// <summary>
    /// int64 <c>[ItemCount, L]</c>: the nodes on each item's path below the root, from its identifier's end up; paths
    /// shorter than the longest are padded with the root. Built on first use and kept.
    /// </summary>
    internal Tensor ItemPaths()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _itemPaths ??= BuildItemPaths();
        }
    }

    private Tensor BuildItemPaths()
    {
        var offsets = Trie.ChildOffsets;
        var parents = new int[Trie.NodeCount];
        for (var node = 0; node < Trie.NodeCount; node++)
            for (var child = offsets[node]; child < offsets[node + 1]; child++) parents[child] = node;
        var leaves = new int[Trie.ItemCount];
        var nodeItems = Trie.NodeItems;
        for (var node = 0; node < nodeItems.Length; node++)
            if (nodeItems[node] >= 0) leaves[nodeItems[node]] = node;
        var length = 0;
        foreach (var leaf in leaves)
        {
            var steps = 0;
            for (var node = leaf; node != PrefixTrie.Root; node = parents[node]) steps++;
            length = Math.Max(length, steps);
        }
        length = Math.Max(length, 1);
        var paths = new long[(long)leaves.Length * length]; // zero-filled: padding is the root
        for (var item = 0; item < leaves.Length; item++)
        {
            var step = 0;
            for (var node = leaves[item]; node != PrefixTrie.Root; node = parents[node]) paths[(long)item * length + step++] = node;
        }
        return tensor(paths, [leaves.Length, length], device: Device).DetachFromDisposeScope();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    // Detached so that a dispose scope around the upload does not free the trie.
    private static Tensor Upload(int[] values, Device device) =>
        tensor(values, dtype: ScalarType.Int32, device: device).DetachFromDisposeScope();
}
