using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// A prefix tree over the token sequences of a catalogue's item identifiers, compiled into flat CSR arrays so
/// that it can be uploaded to a device (<see cref="ToDevice"/>) and walked by tensor operations during beam search.
/// </summary>
/// <remarks>
/// <para>
/// Nodes are numbered breadth-first with the root as node 0, and the children of one node are consecutive and sorted
/// by token. Every non-root node is therefore identified by the edge that leads into it, and three arrays describe the
/// whole tree: <c>ChildOffsets</c> (<see cref="NodeCount"/> + 1 entries; the children of node <c>n</c> are the nodes
/// <c>ChildOffsets[n] .. ChildOffsets[n + 1] - 1</c>, so the first child is <c>ChildOffsets[n]</c> and the child count
/// the difference), <c>NodeTokens</c> (the token on the edge into each node; -1 at the root) and <c>NodeItems</c>
/// (the item whose identifier ends at the node, -1 elsewhere).
/// </para>
/// <para>
/// Memory is 12 bytes per node (three int32 arrays) on the host and on a device. A catalogue of <c>n</c> items with
/// identifiers of length <c>L</c> has at most <c>n·L + 1</c> nodes (plus <c>n</c> with an end-of-sequence token), so
/// memory is linear in the number of items: for 1M random 4-level × 256-code identifiers with an end-of-sequence token
/// it is about 3.04M nodes, i.e. about 36 bytes per item and 36 MB in all (host; the device copy adds 8 bytes).
/// </para>
/// <para>
/// With an end-of-sequence token every identifier is followed by that token (models are trained to emit
/// identifier tokens + eos), so identifiers may have different lengths and one may be a prefix of another. Without it,
/// no identifier may be a prefix of another, since the search could not tell where an identifier ends.
/// </para>
/// </remarks>
public sealed class PrefixTrie
{
    /// <summary>The root's node id.</summary>
    public const int Root = 0;

    private readonly int[] _childOffsets;
    private readonly int[] _nodeTokens;
    private readonly int[] _nodeItems;
    private readonly int[] _maxChildrenAtDepth;

    private PrefixTrie(int[] childOffsets, int[] nodeTokens, int[] nodeItems, int[] maxChildrenAtDepth, int itemCount,
        int? endOfSequenceTokenId, int maxTokenId)
    {
        _childOffsets = childOffsets;
        _nodeTokens = nodeTokens;
        _nodeItems = nodeItems;
        _maxChildrenAtDepth = maxChildrenAtDepth;
        ItemCount = itemCount;
        EndOfSequenceTokenId = endOfSequenceTokenId;
        MaxTokenId = maxTokenId;
    }

    /// <summary>Number of items (identifiers) in the trie; item ids are <c>0 .. ItemCount - 1</c>.</summary>
    public int ItemCount { get; }

    /// <summary>Number of nodes, the root included.</summary>
    public int NodeCount => _nodeTokens.Length;

    /// <summary>The longest token sequence in the trie, the end-of-sequence token included: the number of decoding steps that
    /// finishes every identifier.</summary>
    public int Depth => _maxChildrenAtDepth.Length - 1;

    /// <summary>The token appended to every identifier, or <c>null</c> when identifiers end without one.</summary>
    public int? EndOfSequenceTokenId { get; }

    /// <summary>The largest token id on any edge (a decoder's vocabulary must be larger).</summary>
    public int MaxTokenId { get; }

    /// <summary>Bytes held by the flat arrays on the host (the same layout, in int32, is uploaded by <see cref="ToDevice"/>).</summary>
    public long Bytes => 4L * (_childOffsets.Length + _nodeTokens.Length + _nodeItems.Length);

    /// <summary><see cref="Bytes"/> divided by <see cref="ItemCount"/>.</summary>
    public double BytesPerItem => ItemCount == 0 ? 0 : (double)Bytes / ItemCount;

    /// <summary>The largest number of children of any node at depth <paramref name="depth"/> (the root is at depth 0); 0 beyond <see cref="Depth"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is negative.</exception>
    public int MaxChildrenAtDepth(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        return depth < _maxChildrenAtDepth.Length ? _maxChildrenAtDepth[depth] : 0;
    }

    /// <summary>CSR offsets, <see cref="NodeCount"/> + 1 entries: the children of node <c>n</c> are nodes
    /// <c>[ChildOffsets[n], ChildOffsets[n + 1])</c>.</summary>
    public ReadOnlySpan<int> ChildOffsets => _childOffsets;

    /// <summary>Per node, the token on the edge from its parent (-1 at the root).</summary>
    public ReadOnlySpan<int> NodeTokens => _nodeTokens;

    /// <summary>Per node, the item whose identifier ends there, or -1.</summary>
    public ReadOnlySpan<int> NodeItems => _nodeItems;

    /// <summary>Id of the first child of <paramref name="node"/> (meaningful only when <see cref="ChildCount"/> is positive).</summary>
    public int FirstChild(int node) => _childOffsets[CheckNode(node)];

    /// <summary>Number of children of <paramref name="node"/>.</summary>
    public int ChildCount(int node) => _childOffsets[CheckNode(node) + 1] - _childOffsets[node];

    /// <summary>The tokens on the edges to the children of <paramref name="node"/>, ascending.</summary>
    public ReadOnlySpan<int> ChildTokens(int node) =>
        _nodeTokens.AsSpan(_childOffsets[CheckNode(node)], _childOffsets[node + 1] - _childOffsets[node]);

    /// <summary>The item whose identifier ends at <paramref name="node"/>, or -1.</summary>
    public int ItemAt(int node) => _nodeItems[CheckNode(node)];

    /// <summary>Finds the child of <paramref name="node"/> reached by <paramref name="token"/> (binary search over the sorted children).</summary>
    public bool TryGetChild(int node, int token, out int child)
    {
        var start = _childOffsets[CheckNode(node)];
        var index = _nodeTokens.AsSpan(start, _childOffsets[node + 1] - start).BinarySearch(token);
        child = index >= 0 ? start + index : -1;
        return index >= 0;
    }

    /// <summary>
    /// The item whose identifier is <paramref name="tokens"/>. When the trie has an end-of-sequence token, the tokens may
    /// be given with it (as decoded) or without it (the identifier alone).
    /// </summary>
    public bool TryGetItem(ReadOnlySpan<int> tokens, out int item)
    {
        item = -1;
        var node = Root;
        foreach (var token in tokens)
            if (!TryGetChild(node, token, out node)) return false;
        if (_nodeItems[node] < 0 && EndOfSequenceTokenId is { } eos && TryGetChild(node, eos, out var end)) node = end;
        item = _nodeItems[node];
        return item >= 0;
    }

    /// <summary>Whether <paramref name="tokens"/> is an identifier in the trie (see <see cref="TryGetItem"/>).</summary>
    public bool Contains(ReadOnlySpan<int> tokens) => TryGetItem(tokens, out _);

    /// <summary>Uploads the flat arrays to <paramref name="device"/> as int32 tensors.</summary>
    public DevicePrefixTrie ToDevice(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DevicePrefixTrie(this, device);
    }

    /// <summary>
    /// Builds the trie of an identifier table's items: item <c>i</c>'s token sequence is
    /// <see cref="IdentifierTable.ToTokenIds"/>(i, <paramref name="tokenOffset"/>), followed by
    /// <paramref name="endOfSequenceTokenId"/> when given.
    /// </summary>
    /// <param name="table">The identifiers; item ids of the trie are the table's item ids.</param>
    /// <param name="tokenOffset">Id of the first identifier token in the model's vocabulary (non-negative).</param>
    /// <param name="endOfSequenceTokenId">Token appended to every identifier (e.g. T5's eos, 1), or <c>null</c>.</param>
    /// <exception cref="ArgumentException">A token id would be negative, or the end-of-sequence token collides with an identifier token.</exception>
    public static PrefixTrie FromIdentifierTable(IdentifierTable table, int tokenOffset, int? endOfSequenceTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenOffset);
        if (endOfSequenceTokenId is { } eos && eos >= tokenOffset && eos < tokenOffset + table.TokenCount)
            throw new ArgumentException(
                $"End-of-sequence token {eos} lies inside the identifier tokens [{tokenOffset}, {tokenOffset + table.TokenCount}).",
                nameof(endOfSequenceTokenId));
        var sequences = new int[table.ItemCount][];
        for (var i = 0; i < sequences.Length; i++) sequences[i] = table.ToTokenIds(i, tokenOffset);
        return Build(sequences, endOfSequenceTokenId);
    }

    /// <summary>Builds the trie of raw token sequences: item <c>i</c> is <paramref name="sequences"/>[i], followed by
    /// <paramref name="endOfSequenceTokenId"/> when given.</summary>
    /// <param name="sequences">Per item, its non-empty token sequence (non-negative token ids).</param>
    /// <param name="endOfSequenceTokenId">Token appended to every sequence, or <c>null</c>.</param>
    /// <exception cref="ArgumentException">A sequence is null or empty, has a negative token or contains the end-of-sequence token; or, without an
    /// end-of-sequence token, one sequence is a prefix of another.</exception>
    /// <exception cref="IdentifierCollisionException">Two or more items have the same sequence (the message names them).</exception>
    public static PrefixTrie FromSequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? endOfSequenceTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var copies = new int[sequences.Count][];
        for (var i = 0; i < copies.Length; i++)
            copies[i] = sequences[i]?.ToArray() ?? throw new ArgumentException($"Sequence of item {i} is null.", nameof(sequences));
        return Build(copies, endOfSequenceTokenId);
    }

    private static PrefixTrie Build(int[][] sequences, int? endOfSequenceTokenId)
    {
        var eos = endOfSequenceTokenId ?? -1;
        if (endOfSequenceTokenId is < 0)
            throw new ArgumentOutOfRangeException(nameof(endOfSequenceTokenId), eos, "The end-of-sequence token id must be non-negative.");
        if (sequences.Length == 0) throw new ArgumentException("A trie needs at least one item.", nameof(sequences));
        var extra = endOfSequenceTokenId.HasValue ? 1 : 0;
        var maxLength = 0;
        var maxToken = Math.Max(eos, -1);
        for (var i = 0; i < sequences.Length; i++)
        {
            var s = sequences[i];
            if (s.Length == 0) throw new ArgumentException($"Sequence of item {i} is empty.", nameof(sequences));
            for (var p = 0; p < s.Length; p++)
            {
                if (s[p] < 0) throw new ArgumentException($"Item {i}: token {s[p]} at position {p} is negative.", nameof(sequences));
                if (s[p] == eos)
                    throw new ArgumentException($"Item {i}: token {p} is the end-of-sequence token {eos}, which may only end a sequence.", nameof(sequences));
                maxToken = Math.Max(maxToken, s[p]);
            }
            maxLength = Math.Max(maxLength, s.Length + extra);
        }

        // Lexicographic order puts every prefix's items next to each other, children in token order.
        var order = LexicographicOrder(sequences, eos, maxLength, maxToken);

        var tokens = new List<int>(sequences.Length * 2) { -1 };
        var items = new List<int>(sequences.Length * 2) { -1 };
        var childCounts = new List<int>(sequences.Length * 2) { 0 };
        var current = new int[sequences.Length]; // each item's node at the previous depth (all start at the root)
        var maxChildrenAtDepth = new int[maxLength + 1];
        Dictionary<int, List<int>>? duplicates = null;
        for (var depth = 0; depth < maxLength; depth++)
        {
            int previousParent = -1, previousToken = -1, node = -1;
            foreach (var i in order)
            {
                var s = sequences[i];
                var length = s.Length + extra;
                if (length <= depth) continue;
                var token = depth < s.Length ? s[depth] : eos;
                var parent = current[i];
                if (parent != previousParent || token != previousToken)
                {
                    node = tokens.Count;
                    tokens.Add(token);
                    items.Add(-1);
                    childCounts.Add(0);
                    childCounts[parent]++;
                    maxChildrenAtDepth[depth] = Math.Max(maxChildrenAtDepth[depth], childCounts[parent]);
                    previousParent = parent;
                    previousToken = token;
                }
                current[i] = node;
                if (depth != length - 1) continue;
                if (items[node] < 0) { items[node] = i; continue; }
                duplicates ??= new Dictionary<int, List<int>>();
                if (!duplicates.TryGetValue(node, out var group)) duplicates[node] = group = new List<int> { items[node] };
                group.Add(i);
            }
        }

        if (duplicates is not null)
            throw new IdentifierCollisionException(
                duplicates.Values.Select(g => (IReadOnlyList<int>)g).ToList(),
                item => "the token sequence [" + string.Join(", ", sequences[item]) + "]");

        var nodeCount = tokens.Count;
        var childOffsets = new int[nodeCount + 1];
        childOffsets[0] = 1;
        for (var n = 0; n < nodeCount; n++) childOffsets[n + 1] = childOffsets[n] + childCounts[n];
        for (var n = 0; n < nodeCount; n++)
        {
            if (items[n] < 0 || childCounts[n] == 0) continue;
            var below = n;
            while (items[below] < 0 || below == n) below = childOffsets[below]; // first children down to an item
            throw new ArgumentException(
                $"The sequence of item {items[n]} is a prefix of item {items[below]}'s sequence; " +
                "give an end-of-sequence token so that the search can tell where an identifier ends.", nameof(sequences));
        }
        return new PrefixTrie(childOffsets, tokens.ToArray(), items.ToArray(), maxChildrenAtDepth, sequences.Length, endOfSequenceTokenId, maxToken);
    }

    private static int[] LexicographicOrder(int[][] sequences, int eos, int maxLength, int maxToken)
    {
        var order = new int[sequences.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = maxToken < 1 << 20 ? PackedKeys(sequences, eos, maxLength, maxToken) : null;
        if (keys is not null) Array.Sort(keys, order);
        else Array.Sort(order, (a, b) => Compare(sequences[a], sequences[b], eos));
        return order;
    }

    /// <summary>
    /// One 64-bit key per sequence whose numeric order is the sequences' lexicographic order: at every position the token
    /// is replaced by its rank among the tokens seen there (0 = the sequence has ended), packed with just enough bits.
    /// Sorting these is several times faster than comparing arrays. <c>null</c> when the ranks need more than 64 bits.
    /// </summary>
    private static ulong[]? PackedKeys(int[][] sequences, int eos, int maxLength, int maxToken)
    {
        var ranks = new int[maxLength][];
        var bits = new int[maxLength];
        var totalBits = 0;
        for (var p = 0; p < maxLength; p++)
        {
            var rank = ranks[p] = new int[maxToken + 1];
            foreach (var s in sequences)
            {
                var token = p < s.Length ? s[p] : p == s.Length && eos >= 0 ? eos : -1;
                if (token >= 0) rank[token] = 1;
            }
            var distinct = 0;
            for (var t = 0; t <= maxToken; t++)
                if (rank[t] != 0) rank[t] = ++distinct;
            bits[p] = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)distinct);
            totalBits += bits[p];
            if (totalBits > 64) return null;
        }

        var keys = new ulong[sequences.Length];
        for (var i = 0; i < sequences.Length; i++)
        {
            var s = sequences[i];
            ulong key = 0;
            for (var p = 0; p < maxLength; p++)
            {
                var token = p < s.Length ? s[p] : p == s.Length && eos >= 0 ? eos : -1;
                key = (key << bits[p]) | (uint)(token >= 0 ? ranks[p][token] : 0);
            }
            keys[i] = key;
        }
        return keys;
    }

    private static int Compare(int[] a, int[] b, int eos)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var p = 0; p < n; p++)
            if (a[p] != b[p]) return a[p] < b[p] ? -1 : 1;
        if (a.Length == b.Length) return 0;
        // The shorter sequence continues with eos (or ends, without one), the longer with its next token.
        var nextA = a.Length > n ? a[n] : eos;
        var nextB = b.Length > n ? b[n] : eos;
        return nextA != nextB ? (nextA < nextB ? -1 : 1) : a.Length.CompareTo(b.Length);
    }

    private int CheckNode(int node)
    {
        if ((uint)node >= (uint)_nodeTokens.Length)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Node ids are in [0, {_nodeTokens.Length}).");
        return node;
    }
}
