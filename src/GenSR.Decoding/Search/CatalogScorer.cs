using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// Exact generative scores of every item in a catalogue: log P(identifier | prompt) for all items of a
/// <see cref="PrefixTrie"/> and every query of an <see cref="IStepDecoder"/>'s batch, in one breadth-first pass over the
/// trie. Unlike beam search it has no misses: an item is never "not generated", so full ranking is exact.
/// </summary>
/// <remarks>
/// <para>
/// Shared prefixes are decoded once. At depth <c>d</c> every decoded trie node is one hypothesis of the decoder (its
/// cache row extends its parent's); one <see cref="IStepDecoder.Step"/> gives the next-token distribution of all of them,
/// the log-probabilities of their children's tokens are gathered, added to the parent's running score and carried to
/// depth <c>d + 1</c>; an item's score is the running score at its leaf. The decoder therefore runs once per decoded
/// node (<see cref="RowsPerQuery"/>), not once per token of every identifier, and the number of hypotheses changes from
/// depth to depth (<see cref="IStepDecoder.Reorder"/> with a different width).
/// </para>
/// <para>
/// Everything runs on the decoder's device in a few tensor operations per depth; the per-depth plan (which nodes are
/// decoded, their parents, their children's tokens) is built once on the host when the scorer is created. Memory per
/// call is dominated by the decoder's log-probabilities, <c>batch × <see cref="MaxWidth"/> × vocabulary</c> floats;
/// <see cref="QueriesPerCall"/> sizes batches to a budget.
/// </para>
/// </remarks>
public sealed class CatalogScorer
{
    private readonly Level[][] _passes;

    /// <summary>Plans the passes over <paramref name="trie"/>.</summary>
    /// <param name="trie">The catalogue's identifiers (with or without an end-of-sequence token).</param>
    /// <param name="normalization">How each step is normalised (see <see cref="CatalogNormalization"/>).</param>
    /// <param name="maxRowsPerStep">Most hypotheses per query in one decoder step. A catalogue whose trie is wider is scored
    /// in several passes, each over a group of first-level subtrees (the root is decoded again in each, one row); a single
    /// first-level subtree wider than this is still one pass. Default 16,384.</param>
    /// <exception cref="ArgumentException">The trie is empty.</exception>
    public CatalogScorer(PrefixTrie trie, CatalogNormalization normalization = CatalogNormalization.Vocabulary, int maxRowsPerStep = 16_384)
    {
        ArgumentNullException.ThrowIfNull(trie);
        if (trie.ItemCount == 0) throw new ArgumentException("The trie has no items.", nameof(trie));
        if (!Enum.IsDefined(normalization)) throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "Unknown normalisation.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRowsPerStep);
        Trie = trie;
        Normalization = normalization;
        _passes = Plan(trie, normalization, maxRowsPerStep);
        RowsPerQuery = _passes.Sum(p => p.Sum(l => (long)l.Decoded.Length));
        MaxWidth = _passes.Max(p => p.Length == 0 ? 0 : p.Max(l => l.Decoded.Length));
        MaxChildren = _passes.Max(p => p.Length == 0 ? 0 : p.Max(l => l.MaxChildren));
    }

    /// <summary>The most children of a decoded node: with an <see cref="ICandidateStepDecoder"/> and trie normalisation, a
    /// step reads <c>MaxChildren</c> output rows per hypothesis instead of the whole vocabulary.</summary>
    public int MaxChildren { get; }

    /// <summary>Passes over the trie per call (groups of first-level subtrees).</summary>
    public int Passes => _passes.Length;

    /// <summary>The catalogue's identifiers.</summary>
    public PrefixTrie Trie { get; }

    /// <summary>How each step is normalised.</summary>
    public CatalogNormalization Normalization { get; }

    /// <summary>Decoder hypotheses stepped per query in one pass (trie nodes decoded), the cost of a pass in decoder rows.</summary>
    public long RowsPerQuery { get; }

    /// <summary>The most hypotheses per query at any depth: a call holds <c>batch × MaxWidth × vocabulary</c> log-probabilities.</summary>
    public int MaxWidth { get; }

    /// <summary>Queries per call that keep the decoder's log-probabilities within <paramref name="floatBudget"/> floats (at least 1).</summary>
    /// <param name="vocabularySize">The decoder's vocabulary.</param>
    /// <param name="floatBudget">Floats one step may allocate for its log-probabilities; default 2^26 (256 MB).</param>
    public int QueriesPerCall(int vocabularySize, long floatBudget = 1L << 26)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(floatBudget);
        return (int)Math.Clamp(floatBudget / Math.Max(1L, (long)MaxWidth * vocabularySize), 1, 4096);
    }

    /// <summary>Scores every item for every query of <paramref name="decoder"/>'s batch.</summary>
    /// <param name="decoder">The model, bound to a batch of queries; it is restarted.</param>
    /// <param name="cancellationToken">Checked before every depth.</param>
    /// <returns>float32 <c>[BatchSize, ItemCount]</c> on the decoder's device, item id = column; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The decoder's vocabulary does not contain the trie's tokens.</exception>
    /// <exception cref="InvalidOperationException">The decoder returned log-probabilities of the wrong shape.</exception>
    public Tensor Score(IStepDecoder decoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (Trie.MaxTokenId >= decoder.VocabularySize)
            throw new ArgumentException(
                $"The trie has token {Trie.MaxTokenId}; the decoder's vocabulary has {decoder.VocabularySize} tokens.", nameof(decoder));
        using var scope = NewDisposeScope();
        var result = zeros(decoder.BatchSize, Trie.ItemCount, ScalarType.Float32, decoder.Device).AddScalar(float.NegativeInfinity);
        foreach (var levels in _passes)
            ScorePass(decoder, levels, result, cancellationToken);

        return result.MoveToOuterDisposeScope();
    }

    private void ScorePass(IStepDecoder decoder, Level[] levels, Tensor result, CancellationToken cancellationToken)
    {
        var batch = decoder.BatchSize;
        var device = decoder.Device;
        var vocabulary = decoder.VocabularySize;
        using var scope = NewDisposeScope();
        var scores = zeros(batch, 1, ScalarType.Float32, device); // running score of every node at the current depth
        decoder.Start(1);
        for (var d = 0; d < levels.Length; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var level = levels[d];
            var width = level.Decoded.Length;
            Tensor contributions; // [batch, width × maxChildren + 1]: the last column is the 0 of undecoded single children
            if (width == 0)
            {
                contributions = zeros(batch, 1, ScalarType.Float32, device);
            }
            else
            {
                Tensor tokens;
                if (d == 0)
                {
                    tokens = zeros(batch, ScalarType.Int64, device).AddScalar(decoder.StartTokenId).to(ScalarType.Int64);
                }
                else
                {
                    var previous = levels[d - 1].Decoded.Length;
                    var parents = tensor(level.DecodedParentRows, ScalarType.Int64, device);
                    var offsets = TensorScalarOps.Arange(batch, device).MulScalar((long)previous).unsqueeze(1);
                    decoder.Reorder(offsets.Plus(parents.unsqueeze(0)).flatten());
                    tokens = tensor(level.DecodedTokens, ScalarType.Int64, device).repeat(batch);
                }

                var childTokens = tensor(level.ChildTokens, ScalarType.Int64, device).view(1, width, level.MaxChildren);
                Tensor picked; // [batch, width, maxChildren]
                if (Normalization == CatalogNormalization.Trie && decoder is ICandidateStepDecoder candidates)
                {
                    // Only the children's logits: the vocabulary's normaliser cancels in the softmax over the children.
                    var logits = candidates.StepCandidates(tokens, childTokens.squeeze(0).repeat(batch, 1));
                    if (logits.dim() != 2 || logits.shape[0] != (long)batch * width || logits.shape[1] != level.MaxChildren)
                        throw new InvalidOperationException($"The decoder returned candidate logits [{string.Join(", ", logits.shape)}]; expected " +
                            $"[{(long)batch * width}, {level.MaxChildren}].");
                    picked = logits.to(ScalarType.Float32).view(batch, width, level.MaxChildren);
                }
                else
                {
                    var logp = decoder.Step(tokens);
                    if (logp.dim() != 2 || logp.shape[0] != (long)batch * width || logp.shape[1] != vocabulary)
                        throw new InvalidOperationException(
                            $"The decoder returned log-probabilities [{string.Join(", ", logp.shape)}]; expected [{(long)batch * width}, {vocabulary}].");
                    picked = logp.to(ScalarType.Float32).view(batch, width, vocabulary).gather(2, childTokens.expand(batch, width, level.MaxChildren));
                }

                if (Normalization == CatalogNormalization.Trie)
                {
                    var mask = tensor(level.ChildMask, ScalarType.Bool, device).view(1, width, level.MaxChildren);
                    var logZ = picked.MaskedFill(mask.logical_not(), float.NegativeInfinity).logsumexp(2, keepdim: true);
                    picked = picked.Plus(logZ.neg());
                }

                contributions = cat([picked.reshape(batch, width * level.MaxChildren), zeros(batch, 1, ScalarType.Float32, device)], 1);
            }

            var parentIndex = tensor(level.ChildParents, ScalarType.Int64, device);
            var slotIndex = tensor(level.ChildSlots, ScalarType.Int64, device);
            scores = scores.index_select(1, parentIndex).Plus(contributions.index_select(1, slotIndex));
            if (level.LeafPositions.Length > 0)
            {
                var leaves = scores.index_select(1, tensor(level.LeafPositions, ScalarType.Int64, device));
                result.index_copy_(1, tensor(level.LeafItems, ScalarType.Int64, device), leaves);
            }
        }
    }

    /// <summary>
    /// One depth of the pass. <c>Decoded</c>: trie nodes at this depth that are decoded (hypotheses, in order);
    /// <c>DecodedParentRows</c>/<c>DecodedTokens</c>: each one's parent's hypothesis at the previous depth and the token
    /// fed for it; <c>ChildTokens</c>/<c>ChildMask</c>: <c>[decoded, MaxChildren]</c> children's tokens (padded);
    /// <c>ChildParents</c>: for every node at the next depth, its parent's index among the nodes at this depth;
    /// <c>ChildSlots</c>: where its step contribution is (<c>row × MaxChildren + slot</c>, or the zero column);
    /// <c>LeafPositions</c>/<c>LeafItems</c>: nodes at the next depth that end an identifier, and their items.
    /// </summary>
    private sealed record Level(int[] Decoded, long[] DecodedParentRows, long[] DecodedTokens, int MaxChildren, long[] ChildTokens, bool[] ChildMask,
                                long[] ChildParents, long[] ChildSlots, long[] LeafPositions, long[] LeafItems);

    private static Level[][] Plan(PrefixTrie trie, CatalogNormalization normalization, int maxRowsPerStep)
    {
        var offsets = trie.ChildOffsets;
        var nodeCount = trie.NodeCount;

        // A node is decoded when its children need a distribution: every inner node for vocabulary normalisation; for trie
        // normalisation a node with two or more children, or one with a decoded child (which needs its cache row).
        var decoded = new bool[nodeCount];
        for (var n = nodeCount - 1; n >= 0; n--)
        {
            var children = offsets[n + 1] - offsets[n];
            if (children == 0) continue;
            if (normalization == CatalogNormalization.Vocabulary || children >= 2) { decoded[n] = true; continue; }
            for (var c = offsets[n]; c < offsets[n + 1]; c++)
                if (decoded[c]) { decoded[n] = true; break; }
        }

        // Decoded nodes per depth below each first-level node (its "branch"); nodes are numbered breadth-first.
        var (firstChild, lastChild) = (offsets[0], offsets[1]);
        var branch = new int[nodeCount];
        var depth = new int[nodeCount];
        var widths = new Dictionary<(int Branch, int Depth), int>();
        for (var n = 0; n < nodeCount; n++)
            for (var c = offsets[n]; c < offsets[n + 1]; c++)
            {
                depth[c] = depth[n] + 1;
                branch[c] = n == PrefixTrie.Root ? c : branch[n];
                if (decoded[c]) widths[(branch[c], depth[c])] = widths.GetValueOrDefault((branch[c], depth[c])) + 1;
            }

        // Consecutive first-level nodes share a pass while no depth of the pass decodes more than maxRowsPerStep nodes.
        var passes = new List<Level[]>();
        var groupStart = firstChild;
        var groupWidths = new Dictionary<int, int>();
        for (var b = firstChild; b <= lastChild; b++)
        {
            var fits = b < lastChild;
            if (fits && b > groupStart)
                foreach (var ((br, d), w) in widths)
                    if (br == b && groupWidths.GetValueOrDefault(d) + w > maxRowsPerStep) { fits = false; break; }
            if (!fits && b > groupStart)
            {
                passes.Add(PlanPass(trie, decoded, groupStart, b));
                groupStart = b;
                groupWidths.Clear();
            }

            if (b < lastChild)
                foreach (var ((br, d), w) in widths)
                    if (br == b) groupWidths[d] = groupWidths.GetValueOrDefault(d) + w;
        }

        return [.. passes];
    }

    /// <summary>The levels of one pass over the first-level nodes [<paramref name="first"/>, <paramref name="stop"/>) and their subtrees.</summary>
    private static Level[] PlanPass(PrefixTrie trie, bool[] decoded, int first, int stop)
    {
        var offsets = trie.ChildOffsets;
        var nodeTokens = trie.NodeTokens;
        var nodeItems = trie.NodeItems;

        // Depth 0 is the root; the nodes of this pass at each deeper depth are a contiguous range (breadth-first numbering).
        var ranges = new List<(int Start, int Stop)> { (PrefixTrie.Root, PrefixTrie.Root + 1), (first, stop) };
        while (offsets[ranges[^1].Stop] > offsets[ranges[^1].Start]) ranges.Add((offsets[ranges[^1].Start], offsets[ranges[^1].Stop]));

        var levels = new List<Level>();
        var rowOf = new Dictionary<int, int>();
        for (var k = 0; k + 1 < ranges.Count; k++)
        {
            var (start, end) = ranges[k];
            var rows = new List<int>();
            for (var n = start; n < end; n++)
                if (decoded[n]) { rowOf[n] = rows.Count; rows.Add(n); }
            var maxChildren = 1;
            foreach (var n in rows) maxChildren = Math.Max(maxChildren, offsets[n + 1] - offsets[n]);

            var parentRows = new long[rows.Count];
            var tokens = new long[rows.Count];
            var childTokens = new long[rows.Count * maxChildren];
            var childMask = new bool[rows.Count * maxChildren];
            for (var r = 0; r < rows.Count; r++)
            {
                var n = rows[r];
                tokens[r] = Math.Max(0, nodeTokens[n]);
                // The root's row lists all of its children, so that trie normalisation sums over the whole first level.
                for (var c = offsets[n]; c < offsets[n + 1]; c++)
                {
                    childTokens[r * maxChildren + c - offsets[n]] = nodeTokens[c];
                    childMask[r * maxChildren + c - offsets[n]] = true;
                }
            }

            if (k > 0)
            {
                var (parentStart, parentEnd) = ranges[k - 1];
                for (var p = parentStart; p < parentEnd; p++)
                    for (var c = Math.Max(offsets[p], start); c < Math.Min(offsets[p + 1], end); c++)
                        if (rowOf.TryGetValue(c, out var row)) parentRows[row] = rowOf[p];
            }

            var (childStart, childStop) = ranges[k + 1];
            var childParents = new long[childStop - childStart];
            var childSlots = new long[childStop - childStart];
            var leafPositions = new List<long>();
            var leafItems = new List<long>();
            for (var n = start; n < end; n++)
                for (var c = Math.Max(offsets[n], childStart); c < Math.Min(offsets[n + 1], childStop); c++)
                {
                    var i = c - childStart;
                    childParents[i] = n - start;
                    childSlots[i] = rowOf.TryGetValue(n, out var row) ? (long)row * maxChildren + (c - offsets[n]) : (long)rows.Count * maxChildren;
                    if (nodeItems[c] >= 0) { leafPositions.Add(i); leafItems.Add(nodeItems[c]); }
                }

            levels.Add(
                new Level([.. rows], parentRows, tokens, maxChildren, childTokens, childMask, childParents, childSlots, [.. leafPositions], [.. leafItems]));
        }

        return [.. levels];
    }
}
