namespace GenSR.Representation;

/// <summary>What collision resolution did.</summary>
/// <param name="Strategy">The requested strategy.</param>
/// <param name="ReassignedItems">Items whose last-level code was moved to a free code (<see cref="CollisionStrategy.ReassignLastLevel"/>).</param>
/// <param name="SinkhornPrefixes">Prefixes whose movers were placed by the Sinkhorn assignment.</param>
/// <param name="GreedyPrefixes">Prefixes where Sinkhorn did not converge and greedy nearest-free-code assignment was used.</param>
/// <param name="OverflowingPrefixes">Prefixes with more items to move than free codes (resolved by an appended level).</param>
/// <param name="AppendedLevelSize">Codes of the appended disambiguation level, or 0 when no level was appended.</param>
/// <param name="After">Collisions after resolution (always collision-free).</param>
public sealed record CollisionResolutionReport(
    CollisionStrategy Strategy, int ReassignedItems, int SinkhornPrefixes, int GreedyPrefixes, int OverflowingPrefixes, int AppendedLevelSize,
    CollisionReport After)
{
    /// <summary>Whether an extra level was appended to every identifier.</summary>
    public bool AppendedLevel => AppendedLevelSize > 0;
}
