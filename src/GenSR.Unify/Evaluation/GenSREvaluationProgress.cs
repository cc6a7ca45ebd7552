namespace GenSR.Unify;

/// <summary>Progress of an evaluation: which part runs and how many cases of it are done.</summary>
/// <param name="Stage">A short description, e.g. "full ranking, search".</param>
/// <param name="Done">Cases done in this stage.</param>
/// <param name="Total">Cases in this stage.</param>
public sealed record GenSREvaluationProgress(string Stage, int Done, int Total);
