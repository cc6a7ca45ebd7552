namespace GenSR.Representation;

/// <summary>How many items share a code sequence.</summary>
/// <param name="ItemCount">Number of items.</param>
/// <param name="DistinctSequences">Number of distinct code sequences.</param>
/// <param name="CollidingGroups">Number of code sequences shared by two or more items.</param>
/// <param name="CollidingItems">Number of items whose code sequence another item also has.</param>
/// <param name="LargestGroup">Size of the largest group of items sharing a sequence (1 when collision-free).</param>
public sealed record CollisionReport(int ItemCount, int DistinctSequences, int CollidingGroups, int CollidingItems, int LargestGroup)
{
    /// <summary>Fraction of items that share their code sequence with another item, in [0, 1].</summary>
    public double CollisionRate => ItemCount == 0 ? 0 : (double)CollidingItems / ItemCount;

    /// <summary>Whether every item has its own code sequence.</summary>
    public bool IsCollisionFree => CollidingGroups == 0;

    /// <summary>Measures collisions among <paramref name="codes"/> (one code sequence per item).</summary>
    public static CollisionReport Measure(IReadOnlyList<IReadOnlyList<int>> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var sizes = new Dictionary<CodeSequence, int>();
        foreach (var c in codes)
        {
            var key = new CodeSequence((c ?? throw new ArgumentException("A code sequence is null.", nameof(codes))).ToArray());
            sizes[key] = sizes.GetValueOrDefault(key) + 1;
        }
        var colliding = sizes.Values.Where(s => s > 1).ToList();
        return new CollisionReport(codes.Count, sizes.Count, colliding.Count, colliding.Sum(), sizes.Count == 0 ? 0 : sizes.Values.Max());
    }

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"{CollisionRate:P2} of {ItemCount} items collide ({CollidingGroups} shared sequences, largest group {LargestGroup}, {DistinctSequences} distinct)";
}
