namespace GenSR.Core;

/// <summary>The task an event belongs to in the unified search-and-recommendation history.</summary>
public enum TaskKind
{
    /// <summary>The user was shown or consumed the item without a query (recommendation).</summary>
    Recommendation = 0,

    /// <summary>The user reached the item through a query (search).</summary>
    Search = 1,
}
