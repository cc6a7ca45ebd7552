namespace GenSR.Unify;

/// <summary>
/// One event of a user's history as a service sees it: the external key of the item, and the query when the user reached
/// it by searching. No user id or dense item id is needed.
/// </summary>
/// <param name="ItemKey">The item's external key (as in the catalogue the model was trained on, or added later).</param>
/// <param name="Query">The query that led to the item (a search event); null or blank for a recommendation event.</param>
public readonly record struct HistoryEvent(string ItemKey, string? Query = null)
{
    /// <summary>Whether the event is a search event (it has a query).</summary>
    public bool IsSearch => !string.IsNullOrWhiteSpace(Query);

    /// <summary>An item the user was shown or bought without searching.</summary>
    public static HistoryEvent Viewed(string itemKey) => new(itemKey);

    /// <summary>An item the user reached by searching for <paramref name="query"/>.</summary>
    public static HistoryEvent Searched(string itemKey, string query) => new(itemKey, query);
}
