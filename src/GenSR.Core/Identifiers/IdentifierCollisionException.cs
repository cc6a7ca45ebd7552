namespace GenSR.Core;

/// <summary>Thrown when two or more items would share one identifier.</summary>
public sealed class IdentifierCollisionException : Exception
{
    /// <summary>Creates the exception from the colliding groups of item ids.</summary>
    public IdentifierCollisionException(IReadOnlyList<IReadOnlyList<int>> groups, Func<int, string> describe)
        : base(Compose(groups, describe))
    {
        Groups = groups;
    }

    /// <summary>Each group lists the item ids that share one identifier.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Groups { get; }

    private static string Compose(IReadOnlyList<IReadOnlyList<int>> groups, Func<int, string> describe)
    {
        var shown = groups.Take(10).Select(g => $"items {string.Join(", ", g)} share {describe(g[0])}");
        var more = groups.Count > 10 ? $"; and {groups.Count - 10} more groups" : "";
        return $"Identifiers must be unique, but {groups.Count} identifier(s) are shared: {string.Join("; ", shown)}{more}.";
    }
}
