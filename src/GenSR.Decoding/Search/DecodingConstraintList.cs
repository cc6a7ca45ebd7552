using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// A trie constraint and item rules applied together inside one search, the way a list of logits processors composes in
/// a generation loop: trie ∧ rule 1 ∧ rule 2 ∧ ... (e.g. <see cref="ItemExclusions.PerQueryLists"/> for the items each
/// user has seen, and an <see cref="ItemAllowList"/>). A hypothesis may enter a trie node only while the node's subtree
/// still holds an item its query may return, so the beams are spent on allowed items alone and up to
/// <see cref="BeamSearchOptions.Beams"/> allowed items come back, instead of fewer after a filter.
/// </summary>
/// <remarks>
/// At the start of a search the rules build an allowed mask <c>[queries, items]</c> on the trie's device, and one
/// scatter-add per identifier level counts each node's allowed items (<c>[queries, nodes]</c>, about 5 bytes per node
/// and query at its peak). Each step then adds one gather to the trie's.
/// </remarks>
public sealed class DecodingConstraintList : IDecodingConstraint
{
    /// <summary>Creates the constraint for searches over <paramref name="queries"/> queries.</summary>
    /// <param name="trie">The identifier trie (not disposed by this list).</param>
    /// <param name="queries">The number of queries of each search (the decoder's batch); per-query rules have one entry each.</param>
    /// <param name="rules">Item rules, combined by logical and; none: the trie alone.</param>
    public DecodingConstraintList(TrieConstraint trie, int queries, IEnumerable<IItemRule> rules)
    {
        ArgumentNullException.ThrowIfNull(trie);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        Trie = trie;
        Queries = queries;
        Rules = rules.Select(r => r ?? throw new ArgumentException("A rule is null.", nameof(rules))).ToArray();
    }

    /// <summary>The trie constraint.</summary>
    public TrieConstraint Trie { get; }

    /// <summary>The number of queries of each search.</summary>
    public int Queries { get; }

    /// <summary>The item rules, in the order they are applied.</summary>
    public IReadOnlyList<IItemRule> Rules { get; }

    /// <inheritdoc />
    public int? MaxLength => Trie.MaxLength;

    /// <inheritdoc />
    public bool YieldsItems => true;

    /// <inheritdoc />
    public void Validate(IStepDecoder decoder)
    {
        Trie.Validate(decoder);
        if (decoder.BatchSize != Queries)
            throw new ArgumentException(
                $"The constraint list was made for {Queries} queries, but the decoder's batch has {decoder.BatchSize}.", nameof(decoder));
    }

    /// <inheritdoc />
    public IConstraintCursor Start(int hypotheses, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hypotheses);
        if (hypotheses % Queries != 0)
            throw new ArgumentException($"{hypotheses} hypotheses do not divide into {Queries} queries.", nameof(hypotheses));
        if (Rules.Count == 0) return Trie.Start(hypotheses, device);
        var trie = Trie.DeviceTrie;
        var itemCount = trie.Trie.ItemCount;
        var nodes = trie.DeadNode + 1L;
        Tensor nodeAllowed;
        using (NewDisposeScope())
        {
            var allowed = ones([Queries, itemCount], dtype: ScalarType.Bool, device: trie.Device);
            foreach (var rule in Rules) rule.Restrict(allowed);
            var counts = zeros([Queries, nodes], dtype: ScalarType.Int32, device: trie.Device);
            var source = allowed.to(ScalarType.Int32);
            var paths = trie.ItemPaths();
            for (var level = 0; level < paths.shape[1]; level++)
                counts.scatter_add_(1, paths.select(1, level).unsqueeze(0).expand(Queries, itemCount), source);
            nodeAllowed = counts.GeScalar(1L).flatten().DetachFromDisposeScope();
        }
        return Trie.Start(hypotheses, hypotheses / Queries, nodeAllowed);
    }
}
