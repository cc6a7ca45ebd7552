using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// A system that scores every catalogue item for a case (score-based recommenders and retrievers). Supports the full
/// ranking protocol directly and the sampled protocol by reading the candidates' scores.
/// </summary>
public interface ICatalogScorer : IEvaluatedSystem
{
    /// <summary>Scores every catalogue item for each case; higher is better. Never NaN (use −∞ for impossible items).</summary>
    /// <param name="task">The task the cases are evaluated in (search cases carry <see cref="EvaluationCase.Query"/>).</param>
    /// <param name="cases">A batch of validation or test cases of the split given to <see cref="IEvaluatedSystem.Train"/>.</param>
    /// <param name="scores">Receives row-major [cases, catalogue size] scores, item id = column.</param>
    void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores);

    /// <summary>
    /// Whether the harness should rank this system from <see cref="ScoreCatalog"/> (default true). A system that can also
    /// generate lists (<see cref="ITopKGenerator"/>) and is configured to rank by them returns false.
    /// </summary>
    bool RanksByCatalogScores => true;
}
