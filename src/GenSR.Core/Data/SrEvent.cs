namespace GenSR.Core;

/// <summary>One event of a user's unified search-and-recommendation history.</summary>
/// <param name="UserId">Dense user id.</param>
/// <param name="ItemId">Dense item id of the item the user interacted with.</param>
/// <param name="Timestamp">Seconds since the Unix epoch when the source has it; otherwise <c>null</c> (order is the source order).</param>
/// <param name="Task">Whether the item was reached by a query (search) or not (recommendation).</param>
/// <param name="Query">The query text of a search event; <c>null</c> for recommendation events.</param>
public readonly record struct SrEvent(int UserId, int ItemId, long? Timestamp, TaskKind Task, string? Query)
{
    /// <summary>A recommendation event.</summary>
    public static SrEvent Recommendation(int userId, int itemId, long? timestamp = null) =>
        new(userId, itemId, timestamp, TaskKind.Recommendation, null);

    /// <summary>A search event with its query.</summary>
    public static SrEvent Search(int userId, int itemId, string query, long? timestamp = null) =>
        new(userId, itemId, timestamp, TaskKind.Search, query);
}
