using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>The outcome of ranking one system's cases under one protocol (see <see cref="ProtocolEvaluator.Evaluate"/>).</summary>
/// <param name="Protocol">The protocol.</param>
/// <param name="Method">How the ranking was obtained from the system.</param>
/// <param name="Tasks">Metrics per evaluated task, in task order.</param>
/// <param name="Description">How candidates and seen items were treated, for the report.</param>
/// <param name="Elapsed">Wall-clock time of ranking and scoring.</param>
public sealed record ProtocolEvaluation(
    EvaluationProtocol Protocol, RankingMethod Method, IReadOnlyList<TaskMetrics> Tasks, string Description, TimeSpan Elapsed);
