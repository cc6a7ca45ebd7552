using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>One system trained and evaluated with one seed.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Training">What training did.</param>
/// <param name="TrainingSeconds">Wall-clock seconds of <see cref="IEvaluatedSystem.Train"/> (including its validation evaluations).</param>
/// <param name="EvaluationSeconds">Wall-clock seconds of ranking the test cases, all protocols together.</param>
/// <param name="Reports">One test report per protocol the system could be evaluated under.</param>
public sealed record SystemRun(long Seed, SystemTrainingResult Training, double TrainingSeconds, double EvaluationSeconds,
    IReadOnlyList<EvaluationReport> Reports);
