using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// A system that scores a given candidate list per case (e.g. a pointwise model scoring P(Yes) for each
/// (history, candidate) pair). Serves the sampled protocol: 1 positive + N seeded negatives per case.
/// </summary>
public interface ICandidateScorer : IEvaluatedSystem
{
    /// <summary>Scores each case's candidates; higher is better. Never NaN.</summary>
    /// <param name="task">The task the cases are evaluated in (search cases carry <see cref="EvaluationCase.Query"/>).</param>
    /// <param name="cases">A batch of validation or test cases of the split given to <see cref="IEvaluatedSystem.Train"/>.</param>
    /// <param name="candidates">Row-major [cases, candidatesPerCase] item ids; the target's column is not revealed.</param>
    /// <param name="candidatesPerCase">Candidates per case.</param>
    /// <param name="scores">Receives row-major [cases, candidatesPerCase] scores, aligned with <paramref name="candidates"/>.</param>
    void ScoreCandidates(TaskKind task, IReadOnlyList<EvaluationCase> cases, ReadOnlySpan<int> candidates, int candidatesPerCase, Span<float> scores);
}
