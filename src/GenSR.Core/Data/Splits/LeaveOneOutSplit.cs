
namespace GenSR.Core;

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
        return Build(dataset, options ?? new SplitOptions(), length => length >= MinEventsForEvaluation ? length - 2 : length);
    }

    /// <summary>
    /// A split with every event in the training part and no validation or test case: for the model you will deploy, once
    /// the recipe has been chosen on a held-out split (train it with a step or epoch budget; there is nothing to validate on).
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Options (history cap); <c>null</c> for the defaults.</param>
    public static DatasetSplit AllForTraining(SrDataset dataset, SplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Build(dataset, options ?? new SplitOptions(), length => length);
    }

    /// <summary>
    /// A split at cutoffs of your choosing (for example a global time cutoff): user u trains on its first
    /// <paramref name="trainingLengths"/>[u] events; the next event, when there is one, is its validation case, and the one
    /// after it its test case. Leave-one-out is the cutoff at length − 2 for users with 3 or more events.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="trainingLengths">Per user (by dense id), how many of its events train: 0 to its event count.</param>
    /// <param name="options">Options (history cap, query synthesis of the cases); <c>null</c> for the defaults.</param>
    /// <exception cref="ArgumentException">The lengths are not one per user, or one is outside [0, the user's event count].</exception>
    public static DatasetSplit AtCutoffs(SrDataset dataset, IReadOnlyList<int> trainingLengths, SplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(trainingLengths);
        if (trainingLengths.Count != dataset.Users.Count)
            throw new ArgumentException($"{trainingLengths.Count} training lengths given for {dataset.Users.Count} users; expected one per user.",
                nameof(trainingLengths));
        for (var u = 0; u < trainingLengths.Count; u++)
            if (trainingLengths[u] < 0 || trainingLengths[u] > dataset.Histories[u].Count)
                throw new ArgumentException($"User {u} (key \"{dataset.Users[u].Key}\") has {dataset.Histories[u].Count} events; training length " +
                    $"{trainingLengths[u]} is outside [0, {dataset.Histories[u].Count}].", nameof(trainingLengths));
        var lengths = trainingLengths.ToArray();
        var user = 0;
        return Build(dataset, options ?? new SplitOptions(), _ => lengths[user++]);
    }

    /// <summary>Splits every user's history at the training length <paramref name="trainingLength"/> gives for its event count
    /// (called once per user, in id order); the next event is the validation case and the one after it the test case.</summary>
    private static DatasetSplit Build(SrDataset dataset, SplitOptions options, Func<int, int> trainingLength)
    {
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
            var length = trainingLength(history.Length);
            trainingLengths[u] = length;
            for (var t = 0; t < length; t++)
            {
                interactions.Add(new UserItemInteraction(u, history[t].ItemId));
                if (t > 0)
                    examples.Add(new TrainingExample(u, HistoryBefore(history, t, options.MaxHistory), history[t], t));
            }
            if (length < history.Length)
                validation.Add(CaseAt(history, length));
            if (length + 1 < history.Length)
                test.Add(CaseAt(history, length + 1));

            EvaluationCase CaseAt(SrEvent[] h, int index)
            {
                var target = h[index];
                var query = target.Task == TaskKind.Search && !string.IsNullOrWhiteSpace(target.Query)
                    ? target.Query
                    : synthesizer.BuildQuery(dataset.Catalog[target.ItemId]);
                // An item without any words (amazon-beauty has one) gives no query: the case is then a recommendation case only
                // (EvaluationCase.HasQuery), and search evaluation leaves it out.
                query ??= "";
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
