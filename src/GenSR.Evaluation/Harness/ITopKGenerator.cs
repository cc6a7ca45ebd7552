using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// A system that generates a ranked item list per case instead of scoring every item (generative retrieval, e.g.
/// constrained beam search over item identifiers). Evaluated under full ranking: the target's rank is its position in
/// the list, and a target that is not generated is "not found" (a miss at every cutoff).
/// </summary>
public interface ITopKGenerator : IEvaluatedSystem
{
    /// <summary>Generates up to <see cref="GenerationRequest.ListLength"/> distinct item ids per case, best first.</summary>
    /// <param name="task">The task the cases are evaluated in (search cases carry <see cref="EvaluationCase.Query"/>).</param>
    /// <param name="cases">A batch of validation or test cases of the split given to <see cref="IEvaluatedSystem.Train"/>.</param>
    /// <param name="request">List length and the items each case excludes.</param>
    /// <returns>One list per case, in case order. The harness drops excluded items and repeats, then truncates to the list length.</returns>
    IReadOnlyList<IReadOnlyList<int>> Generate(TaskKind task, IReadOnlyList<EvaluationCase> cases, GenerationRequest request);
}
