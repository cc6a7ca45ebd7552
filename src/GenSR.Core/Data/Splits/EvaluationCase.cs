namespace GenSR.Core;

/// <summary>
/// One held-out event to predict (a user's validation or test event), evaluated in both tasks: recommendation
/// uses <see cref="History"/> only, search uses <see cref="History"/> and <see cref="Query"/>.
/// </summary>
/// <param name="UserId">Dense user id.</param>
/// <param name="History">The most recent events before the target, oldest first; at most <see cref="SplitOptions.MaxHistory"/>.</param>
/// <param name="Target">The held-out event.</param>
/// <param name="Query">
/// The target's own query when it is a search event, otherwise the synthesised query of the target item
/// (see <see cref="CategoryQuerySynthesizer.BuildQuery"/>); empty only for an item without any words, and then
/// the case is evaluated in recommendation only (<see cref="HasQuery"/>).
/// </param>
/// <param name="TargetIndex">Position of the target in the user's full history (all earlier events are "seen before").</param>
public sealed record EvaluationCase(int UserId, IReadOnlyList<SrEvent> History, SrEvent Target, string Query, int TargetIndex)
{
    /// <summary>The dense id of the item to find.</summary>
    public int TargetItemId => Target.ItemId;

    /// <summary>Whether the case has a search query; search evaluation (the harness, GenSR's validation) leaves out cases without one.</summary>
    public bool HasQuery => !string.IsNullOrWhiteSpace(Query);
}
