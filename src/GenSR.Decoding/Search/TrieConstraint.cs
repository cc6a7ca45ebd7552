using TorchSharp;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Decoding;

/// <summary>
/// Restricts decoding to the identifiers of a <see cref="PrefixTrie"/>: every hypothesis is a node of the device trie,
/// its candidates are the node's children (read from the CSR arrays, at most
/// <see cref="PrefixTrie.MaxChildrenAtDepth"/> columns per step), and a hypothesis that reaches an item's node is
/// finished. Every step is a handful of gathers on the trie's device; nothing is copied to the host.
/// </summary>
public sealed class TrieConstraint : IDecodingConstraint, IDisposable
{
    private readonly bool _ownsTrie;

    /// <summary>Uses a trie already on a device (not disposed by this constraint).</summary>
    public TrieConstraint(DevicePrefixTrie trie)
    {
        ArgumentNullException.ThrowIfNull(trie);
        trie.ThrowIfDisposed();
        DeviceTrie = trie;
    }

    /// <summary>Uploads <paramref name="trie"/> to <paramref name="device"/> (released by <see cref="Dispose"/>).</summary>
    public TrieConstraint(PrefixTrie trie, Device device)
    {
        ArgumentNullException.ThrowIfNull(trie);
        DeviceTrie = trie.ToDevice(device);
        _ownsTrie = true;
    }

    /// <summary>The device-resident trie.</summary>
    public DevicePrefixTrie DeviceTrie { get; }

    /// <summary>The host trie.</summary>
    public PrefixTrie Trie => DeviceTrie.Trie;

    /// <inheritdoc />
    public int? MaxLength => Trie.Depth;

    /// <inheritdoc />
    public bool YieldsItems => true;

    /// <inheritdoc />
    public void Validate(IStepDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        DeviceTrie.ThrowIfDisposed();
        if (Trie.MaxTokenId >= decoder.VocabularySize)
            throw new ArgumentException(
                $"The trie uses token id {Trie.MaxTokenId}, but the decoder's vocabulary has only {decoder.VocabularySize} tokens.", nameof(decoder));
        if (!SameDevice(decoder.Device, DeviceTrie.Device))
            throw new ArgumentException(
                $"The decoder runs on {decoder.Device} but the trie lives on {DeviceTrie.Device}; upload it with PrefixTrie.ToDevice(decoder.Device).",
                nameof(decoder));
    }

    /// <inheritdoc />
    public IConstraintCursor Start(int hypotheses, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hypotheses);
        DeviceTrie.ThrowIfDisposed();
        return new Cursor(DeviceTrie, hypotheses, null, null);
    }

    /// <summary>
    /// Starts a search whose hypotheses may only enter nodes that <paramref name="nodeAllowed"/> marks: bool
    /// <c>[queries · (NodeCount + 1)]</c> (the dead node included), query-major; hypothesis <c>h</c> belongs to query
    /// <c>h / beams</c>. Takes ownership of <paramref name="nodeAllowed"/>.
    /// </summary>
    internal IConstraintCursor Start(int hypotheses, int beams, Tensor nodeAllowed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hypotheses);
        DeviceTrie.ThrowIfDisposed();
        var nodes = DeviceTrie.DeadNode + 1L;
        var offsets = new long[hypotheses];
        for (var h = 0; h < hypotheses; h++) offsets[h] = h / beams * nodes;
        var hypothesisOffsets = tensor(offsets, device: DeviceTrie.Device).DetachFromDisposeScope();
        return new Cursor(DeviceTrie, hypotheses, nodeAllowed.DetachFromDisposeScope(), hypothesisOffsets);
    }

    /// <summary>Releases the device trie if this constraint uploaded it.</summary>
    public void Dispose()
    {
        if (_ownsTrie) DeviceTrie.Dispose();
    }

    internal static bool SameDevice(Device a, Device b) =>
        a.type == b.type && (a.type == DeviceType.CPU || Math.Max(a.index, 0) == Math.Max(b.index, 0));

    private sealed class Cursor : IConstraintCursor
    {
        private readonly DevicePrefixTrie _trie;
        private readonly Tensor? _nodeAllowed;       // bool [queries * nodes], or null: every node
        private readonly Tensor? _hypothesisOffsets; // int64 [hypotheses]: query(h) * nodes
        private Tensor _nodes; // int64 [hypotheses]

        public Cursor(DevicePrefixTrie trie, int hypotheses, Tensor? nodeAllowed, Tensor? hypothesisOffsets)
        {
            _trie = trie;
            _nodeAllowed = nodeAllowed;
            _hypothesisOffsets = hypothesisOffsets;
            _nodes = zeros(hypotheses, dtype: ScalarType.Int64, device: trie.Device).DetachFromDisposeScope();
        }

        public CandidateSet NextCandidates(int step)
        {
            var columns = Math.Max(1, _trie.Trie.MaxChildrenAtDepth(step));
            var (first, count) = Children(_nodes);
            var offsets = TensorScalarOps.Arange(columns, _trie.Device).unsqueeze(0);                  // [1, C]
            var allowed = offsets.lt(count.unsqueeze(1));                                           // [H, C]
            var blocked = allowed.logical_not();
            var children = first.unsqueeze(1).Plus(offsets).MaskedFill(blocked, 0L);                  // [H, C]
            if (_nodeAllowed is not null)
            {
                // A child is a candidate only if its subtree still holds an item the query may return.
                var index = children.Plus(_hypothesisOffsets!.unsqueeze(1)).flatten();
                allowed = allowed.logical_and(_nodeAllowed.index_select(0, index).view(children.shape));
                blocked = allowed.logical_not();
            }
            var tokens = _trie.NodeTokens.index_select(0, children.flatten()).view(children.shape).to(ScalarType.Int64);
            return CandidateSet.Listed(tokens.MaskedFill(blocked, 0L), allowed, Finished(_nodes));
        }

        public void Advance(Tensor parentHypotheses, Tensor columns)
        {
            Tensor next;
            using (NewDisposeScope())
            {
                var parents = _nodes.index_select(0, parentHypotheses);
                var (first, count) = Children(parents);
                // Finished parents keep their node; a column beyond the children marks a dead hypothesis.
                var stay = parents.MaskedFill(Finished(parents).logical_not(), (long)_trie.DeadNode);
                next = where(columns.lt(count), first.Plus(columns), stay).DetachFromDisposeScope();
            }
            _nodes.Dispose();
            _nodes = next;
        }

        public Tensor Items() => _trie.NodeItems.index_select(0, _nodes).to(ScalarType.Int64);

        public void Dispose()
        {
            _nodes.Dispose();
            _nodeAllowed?.Dispose();
            _hypothesisOffsets?.Dispose();
        }

        private (Tensor First, Tensor Count) Children(Tensor nodes)
        {
            var first = _trie.ChildOffsets.index_select(0, nodes).to(ScalarType.Int64);
            var end = _trie.ChildOffsets.index_select(0, nodes.AddScalar(1L)).to(ScalarType.Int64);
            return (first, end.Minus(first));
        }

        private Tensor Finished(Tensor nodes) => _trie.NodeItems.index_select(0, nodes).GeScalar(0);
    }
}
