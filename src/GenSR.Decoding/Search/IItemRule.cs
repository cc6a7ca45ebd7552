using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// An item-level rule of a <see cref="DecodingConstraintList"/>: which items each query of a search may return (seen
/// items excluded, an allow-list, out-of-stock items). Rules are combined by logical and, and the search honours them
/// inside the trie, so every hypothesis it keeps can still complete an allowed item.
/// </summary>
public interface IItemRule
{
    /// <summary>
    /// Clears, in place, the entries of <paramref name="allowed"/> that this rule forbids: bool <c>[queries, items]</c> on
    /// the search's device, already restricted by the rules before this one.
    /// </summary>
    /// <exception cref="ArgumentException">The rule does not fit the search (item ids outside the catalogue, or a per-query rule for another
    /// number of queries).</exception>
    void Restrict(Tensor allowed);
}
