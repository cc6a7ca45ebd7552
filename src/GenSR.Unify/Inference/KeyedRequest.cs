using GenSR.Core;

namespace GenSR.Unify;

/// <summary>One keyed call of <see cref="IGenSRRecommender"/>, checked when it is made (so that a batch never fails for one
/// bad request): a ranking (<see cref="K"/> items through <see cref="Filter"/>) or the scoring of <see cref="CandidateKeys"/>.</summary>
internal sealed record KeyedRequest(TaskKind Task, IReadOnlyList<HistoryEvent> History, string? Query, int K, ItemFilter Filter,
                                    IReadOnlyList<string>? CandidateKeys)
{
    public static KeyedRequest Recommendation(IReadOnlyList<HistoryEvent> history, int k, ItemFilter? filter) =>
        new(TaskKind.Recommendation, Checked(history), null, CheckedK(k), filter ?? ItemFilter.Default, null);

    public static KeyedRequest Search(IReadOnlyList<HistoryEvent> history, string query, int k, ItemFilter? filter) =>
        new(TaskKind.Search, Checked(history), CheckedQuery(query), CheckedK(k), filter ?? ItemFilter.Default, null);

    public static KeyedRequest Scoring(IReadOnlyList<HistoryEvent> history, string? query, IReadOnlyList<string> candidateKeys)
    {
        ArgumentNullException.ThrowIfNull(candidateKeys);
        for (var i = 0; i < candidateKeys.Count; i++)
            if (candidateKeys[i] is null) throw new ArgumentException($"Candidate key {i} is null.", nameof(candidateKeys));
        var search = !string.IsNullOrWhiteSpace(query);
        return new(search ? TaskKind.Search : TaskKind.Recommendation, Checked(history), search ? query : null, candidateKeys.Count,
            ItemFilter.None, candidateKeys);
    }

    private static IReadOnlyList<HistoryEvent> Checked(IReadOnlyList<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        for (var i = 0; i < history.Count; i++)
            if (history[i].ItemKey is null) throw new ArgumentException($"History event {i} has no item key.", nameof(history));
        return history;
    }

    private static string CheckedQuery(string query) =>
        string.IsNullOrWhiteSpace(query) ? throw new ArgumentException("A search needs a non-empty query.", nameof(query)) : query;

    private static int CheckedK(int k) => k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
}
