using GenSR.Core.Data.Queries;

namespace GenSR.Core.Data.Splits;

/// <summary>
/// The chronological leave-one-out split of sequential recommendation (as in SASRec, TIGER and the GenSR
/// reference code): per user, the last event is the test case, the second-to-last the validation case and the
/// rest the training part. Users with fewer than <see cref="MinEventsForEvaluation"/> events contribute only
/// training data (all their events), since they would otherwise have an empty training part.
/// </summary>
public static class LeaveOneOutSplit
{
    /// <summary>The fewest events a user needs to get validation and test cases: one training event, one validation, one test.</summary>
    public const int MinEventsForEvaluation = 3;

    /// <summary>Splits a dataset; deterministic (no randomness).</summary>
    /// <remarks>
    /// Training examples are every prefix → next event of each training part with at least one history event,
    /// the history capped at the most recent <see cref="SplitOptions.MaxHistory"/> events. The validation case's
    /// history is the training part; the test case's history also holds the validation event. Every case carries
    /// a query so that it is evaluated in both tasks. Histories are views of one array per user, not copies.
    /// </remarks>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Options; <c>null</c> for the defaults.</param>
    /// <returns>The split.</returns>
    public static DatasetSplit Create(SrDataset dataset, SplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new SplitOptions();
        var synthesizer = new CategoryQuerySynthesizer(options.QuerySynthesis);
        var userCount = dataset.Users.Count;
        var events = new SrEvent[userCount][];
        var trainingLengths = new int[userCount];
        var examples = new List<TrainingExample>();
        var interactions = new List<UserItemInteraction>();
        var validation = new List<EvaluationCase>();
        var test = new List<EvaluationCase>();
        for (var u = 0; u < userCount; u++)
        {
            var history = dataset.Histories[u] as SrEvent[] ?? dataset.Histories[u].ToArray();
            events[u] = history;
            var evaluated = history.Length >= MinEventsForEvaluation;
            var trainingLength = evaluated ? history.Length - 2 : history.Length;
            trainingLengths[u] = trainingLength;
            for (var t = 0; t < trainingLength; t++)
            {
                interactions.Add(new UserItemInteraction(u, history[t].ItemId));
                if (t > 0)
                    examples.Add(new TrainingExample(u, HistoryBefore(history, t, options.MaxHistory), history[t], t));
            }
            if (!evaluated)
                continue;
            validation.Add(CaseAt(history, history.Length - 2));
            test.Add(CaseAt(history, history.Length - 1));

            EvaluationCase CaseAt(SrEvent[] h, int index)
            {
                var target = h[index];
                var query = target.Task == TaskKind.Search && !string.IsNullOrWhiteSpace(target.Query)
                    ? target.Query
                    : synthesizer.BuildQuery(dataset.Catalog[target.ItemId]);
                // Caught here, before any training: a search case without a query would fail the first validation.
                if (string.IsNullOrWhiteSpace(query))
                    throw new InvalidDataException(
                        $"Item {target.ItemId} (key \"{dataset.Catalog[target.ItemId].Key}\") has no category, title or description words, so user " +
                        $"{u} (key \"{dataset.Users[u].Key}\")'s {(index == h.Length - 1 ? "test" : "validation")} target has no search query; give the item some text or leave it out.");
                return new EvaluationCase(u, HistoryBefore(h, index, options.MaxHistory), target, query, index);
            }
        }
        return new DatasetSplit(dataset, options, events, trainingLengths, examples, interactions, validation, test);
    }

    private static ArraySegment<SrEvent> HistoryBefore(SrEvent[] history, int index, int maxHistory)
    {
        var start = Math.Max(0, index - maxHistory);
        return new ArraySegment<SrEvent>(history, start, index - start);
    }
}
