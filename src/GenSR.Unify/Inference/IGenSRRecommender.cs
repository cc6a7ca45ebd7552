namespace GenSR.Unify;

/// <summary>
/// What a service calls: recommendation, search and candidate scoring by external item keys, with filters applied inside
/// the ranking. Implemented by <see cref="GenSRRecommender"/> (each call runs on the caller's thread) and by
/// <see cref="GenSRMicroBatcher"/> (concurrent calls are gathered into one model call); an interface, so that callers can
/// be tested with a fake.
/// </summary>
/// <remarks>
/// Items are ranked by the recommender's <see cref="GenSRRecommender.ServingRanking"/> (exact generative likelihood, or its
/// fusion with the dense head), which scores every item, so filters never shorten a list that enough items pass. History
/// events whose key the catalogue does not know are left out of the history (the model has nothing to read for them).
/// </remarks>
public interface IGenSRRecommender
{
    /// <summary>The number of items that can be returned.</summary>
    int ItemCount { get; }

    /// <summary>The top <paramref name="k"/> items to show next, best first: fewer only when fewer items pass the filter.</summary>
    /// <param name="history">The user's events, oldest first; may be empty (a cold-start answer).</param>
    /// <param name="k">Items to return, at least 1.</param>
    /// <param name="filter">Which items may be returned; null: <see cref="ItemFilter.Default"/> (history items left out).</param>
    /// <param name="cancellationToken">Cancels the call while it waits.</param>
    Task<IReadOnlyList<ScoredItem>> RecommendAsync(IReadOnlyList<HistoryEvent> history, int k = 10, ItemFilter? filter = null,
                                                   CancellationToken cancellationToken = default);

    /// <summary>The top <paramref name="k"/> items for <paramref name="query"/>, best first: fewer only when fewer items pass the filter.</summary>
    /// <param name="history">The user's events, oldest first; may be empty.</param>
    /// <param name="query">The query (not blank).</param>
    /// <param name="k">Items to return, at least 1.</param>
    /// <param name="filter">Which items may be returned; null: <see cref="ItemFilter.Default"/> (history items left out).</param>
    /// <param name="cancellationToken">Cancels the call while it waits.</param>
    Task<IReadOnlyList<ScoredItem>> SearchAsync(IReadOnlyList<HistoryEvent> history, string query, int k = 10, ItemFilter? filter = null,
                                                CancellationToken cancellationToken = default);

    /// <summary>Scores given candidates with the numbers the ranking uses, best first; unknown keys are left out.</summary>
    /// <param name="history">The user's events, oldest first; may be empty.</param>
    /// <param name="query">The query of a search; null or blank for recommendation.</param>
    /// <param name="candidateKeys">The candidates' item keys.</param>
    /// <param name="cancellationToken">Cancels the call while it waits.</param>
    Task<IReadOnlyList<ScoredItem>> ScoreAsync(IReadOnlyList<HistoryEvent> history, string? query, IReadOnlyList<string> candidateKeys,
                                               CancellationToken cancellationToken = default);
}
