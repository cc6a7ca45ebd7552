using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation;

/// <summary>
/// What a system gets for training: the device, the seed, progress and cancellation, and a validation helper that
/// ranks the split's validation cases exactly as the test cases will be ranked (for early stopping and model selection).
/// </summary>
public sealed class EvaluationContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="device">The torch device to train and rank on.</param>
    /// <param name="seed">The run's seed; systems derive every random stream from it.</param>
    /// <param name="ranking">The ranking options of the run (cutoffs, exclusion, candidates); defaults when null.</param>
    /// <param name="progress">Receives training progress; may be null.</param>
    /// <param name="cancellationToken">Cancels training.</param>
    public EvaluationContext(torch.Device device, long seed, RankingOptions? ranking = null,
                             IProgress<SystemTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Device = device ?? throw new ArgumentNullException(nameof(device));
        Seed = seed;
        Ranking = ranking ?? new RankingOptions();
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>The torch device to train and rank on.</summary>
    public torch.Device Device { get; }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>The ranking options of the run; validation uses the same ones as the test.</summary>
    public RankingOptions Ranking { get; }

    /// <summary>Receives training progress; may be null.</summary>
    public IProgress<SystemTrainingProgress>? Progress { get; }

    /// <summary>Cancels training.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The cutoff of the model-selection metric: 10 when it is among the cutoffs, else the largest one.</summary>
    public int SelectionCutoff => Ranking.Cutoffs.Contains(10) ? 10 : Ranking.MaxCutoff;

    /// <summary>The name of the model-selection metric, e.g. <c>NDCG@10</c> (mean over the evaluated tasks).</summary>
    public string SelectionMetric => TaskMetrics.NameOf(RankingMetric.Ndcg, SelectionCutoff);

    /// <summary>
    /// Ranks the split's validation cases with <paramref name="system"/> (full ranking when the system supports it, else the
    /// sampled protocol) and returns the metrics of each task. Never touches test cases.
    /// </summary>
    /// <param name="system">The system being trained (it must be able to rank in its current state).</param>
    /// <param name="split">The split it is trained on.</param>
    /// <param name="tasks">Tasks to evaluate; <c>null</c> for all the system serves.</param>
    /// <exception cref="InvalidOperationException">The split has no validation cases.</exception>
    /// <param name="cases">A subset of the split's validation cases (e.g. a fixed sample on a large dataset); <c>null</c> for all.</param>
    public IReadOnlyList<TaskMetrics> EvaluateValidation(IEvaluatedSystem system, DatasetSplit split, IReadOnlyList<TaskKind>? tasks = null,
                                                         IReadOnlyList<EvaluationCase>? cases = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(split);
        if (split.Validation.Count == 0)
            throw new InvalidOperationException(
                $"The split of {split.Dataset.Name} has no validation cases (no user has {LeaveOneOutSplit.MinEventsForEvaluation} events).");
        var protocol = ProtocolEvaluator.MethodFor(system, EvaluationProtocol.FullRanking) is not null
            ? EvaluationProtocol.FullRanking
            : EvaluationProtocol.Sampled;
        return ProtocolEvaluator.Evaluate(system, split, cases ?? split.Validation, protocol, Ranking, tasks, CancellationToken).Tasks;
    }

    /// <summary>The model-selection score of validation metrics: the mean of <see cref="SelectionMetric"/> over the tasks.</summary>
    /// <param name="metrics">Metrics from <see cref="EvaluateValidation"/>.</param>
    public double SelectionScore(IReadOnlyList<TaskMetrics> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0) throw new ArgumentException("No task metrics to select on.", nameof(metrics));
        return metrics.Average(m => m[SelectionMetric]);
    }
}
