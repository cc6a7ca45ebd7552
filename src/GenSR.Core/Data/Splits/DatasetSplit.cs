namespace GenSR.Core;

/// <summary>
/// A dataset split into a training part, validation cases and test cases: <see cref="LeaveOneOutSplit.Create"/>,
/// <see cref="LeaveOneOutSplit.AtCutoffs"/> (cutoffs of your own) or <see cref="LeaveOneOutSplit.AllForTraining"/> (no cases).
/// </summary>
public sealed class DatasetSplit
{
    private readonly SrEvent[][] _events;
    private readonly int[] _trainingLengths;

    internal DatasetSplit(
        SrDataset dataset, SplitOptions options, SrEvent[][] events, int[] trainingLengths,
        IReadOnlyList<TrainingExample> trainingExamples, IReadOnlyList<UserItemInteraction> trainingInteractions,
        IReadOnlyList<EvaluationCase> validation, IReadOnlyList<EvaluationCase> test)
    {
        Dataset = dataset;
        Options = options;
        _events = events;
        _trainingLengths = trainingLengths;
        TrainingExamples = trainingExamples;
        TrainingInteractions = trainingInteractions;
        Validation = validation;
        Test = test;
    }

    /// <summary>The dataset that was split.</summary>
    public SrDataset Dataset { get; }

    /// <summary>The options of the split.</summary>
    public SplitOptions Options { get; }

    /// <summary>Every prefix → next event of every user's training part, users in id order, events in time order.</summary>
    public IReadOnlyList<TrainingExample> TrainingExamples { get; }

    /// <summary>
    /// The (user, item) pairs of every training-part event, for collaborative models; an item a user
    /// interacted with twice appears twice. Never contains a validation or test event.
    /// </summary>
    public IReadOnlyList<UserItemInteraction> TrainingInteractions { get; }

    /// <summary>The event after each user's training part, where there is one (leave-one-out: the second-to-last event of
    /// every user with at least <see cref="LeaveOneOutSplit.MinEventsForEvaluation"/> events).</summary>
    public IReadOnlyList<EvaluationCase> Validation { get; }

    /// <summary>The event after each user's validation event, where there is one (leave-one-out: the last event).</summary>
    public IReadOnlyList<EvaluationCase> Test { get; }

    /// <summary>The training part of a user's history (all of it for users too short to evaluate), oldest first.</summary>
    /// <param name="userId">Dense user id.</param>
    /// <returns>A view of the events; no copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The user id is not in the dataset.</exception>
    public IReadOnlyList<SrEvent> GetTrainingEvents(int userId)
    {
        CheckUser(userId);
        return new ArraySegment<SrEvent>(_events[userId], 0, _trainingLengths[userId]);
    }

    /// <summary>
    /// The distinct items the user interacted with before the case's target (the whole prefix, not only the
    /// capped <see cref="EvaluationCase.History"/>), for evaluations that exclude already seen items.
    /// </summary>
    /// <param name="evaluationCase">A validation or test case of this split.</param>
    /// <returns>Dense item ids.</returns>
    /// <exception cref="ArgumentException">The case does not belong to this split's users.</exception>
    public IReadOnlySet<int> GetItemsSeenBefore(EvaluationCase evaluationCase)
    {
        ArgumentNullException.ThrowIfNull(evaluationCase);
        CheckUser(evaluationCase.UserId);
        var events = _events[evaluationCase.UserId];
        if (evaluationCase.TargetIndex < 0 || evaluationCase.TargetIndex >= events.Length)
            throw new ArgumentException(
                $"Target index {evaluationCase.TargetIndex} is outside user {evaluationCase.UserId}'s history of {events.Length} events.",
                nameof(evaluationCase));
        var seen = new HashSet<int>();
        for (var i = 0; i < evaluationCase.TargetIndex; i++)
            seen.Add(events[i].ItemId);
        return seen;
    }

    private void CheckUser(int userId)
    {
        if ((uint)userId >= (uint)_events.Length)
            throw new ArgumentOutOfRangeException(nameof(userId), userId, $"User id must be in [0, {_events.Length}).");
    }
}
