namespace GenSR.Representation;

/// <summary>How items that end up with the same code sequence are given distinct identifiers.</summary>
public enum CollisionStrategy
{
    /// <summary>
    /// Re-assign the last-level code of all but one item of each colliding group to a code no other item with the same
    /// prefix uses, by balanced assignment (entropic optimal transport, Sinkhorn) over distances to the last level's
    /// centroids, or greedy nearest free code when Sinkhorn does not converge. Identifiers keep their length; where a
    /// prefix has fewer free codes than items to move, an extra level is appended as in <see cref="AppendLevel"/>.
    /// </summary>
    ReassignLastLevel = 0,

    /// <summary>
    /// Append one extra level: items of a colliding group get 0, 1, 2, … (by item id), all others 0 (as TIGER, Rajput et al.,
    /// NeurIPS 2023, §3.1). The extra level has as many codes as the largest group.
    /// </summary>
    AppendLevel = 1,
}
