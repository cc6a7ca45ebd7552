using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// One model input before tensorisation: a user's unified history (oldest first), the task, the query (search) and, in
/// pointwise mode, a candidate item. For training, <see cref="TargetItem"/> (generative) or <see cref="Label"/> (pointwise)
/// gives the answer.
/// </summary>
/// <param name="History">The unified search and recommendation history, oldest first. Only the most recent
/// <see cref="GenSRModelConfig.MaxHistory"/> events are used. May be empty (the model then relies on the prompt and query).</param>
/// <param name="Task">Recommendation or search.</param>
/// <param name="Query">The query text; required for search, ignored for recommendation.</param>
/// <param name="Candidate">The candidate item id in pointwise mode; null in generative mode.</param>
/// <param name="TargetItem">The item to generate (generative training rows); on pointwise training rows, the example's true next item.</param>
/// <param name="Label">Whether the candidate is relevant (pointwise training rows).</param>
public sealed record GenSRRequest(
    IReadOnlyList<SrEvent> History,
    TaskKind Task,
    string? Query = null,
    int? Candidate = null,
    int? TargetItem = null,
    bool? Label = null)
{
    /// <summary>Whether this is a pointwise request (it has a candidate).</summary>
    public bool IsPointwise => Candidate is not null;
}
