namespace GenSR.Core;

/// <summary>One training example: the events before a target event of the training part, and the target.</summary>
/// <param name="UserId">Dense user id.</param>
/// <param name="History">The most recent events before the target, oldest first; 1 to <see cref="SplitOptions.MaxHistory"/> events.</param>
/// <param name="Target">The event to predict; its <see cref="SrEvent.Task"/> says whether this is a search example (with <see cref="SrEvent.Query"/>) or a
/// recommendation example.</param>
/// <param name="TargetIndex">Position of the target in the user's full history.</param>
public sealed record TrainingExample(int UserId, IReadOnlyList<SrEvent> History, SrEvent Target, int TargetIndex);
