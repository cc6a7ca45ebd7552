namespace GenSR.Unify;

/// <summary>A training report, sent after every step and every validation.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">Optimisation steps done.</param>
/// <param name="TotalSteps">Planned steps (all epochs).</param>
/// <param name="LanguageModelLoss">Token cross-entropy of the last step (generative and pointwise rows).</param>
/// <param name="ContrastiveLoss">InfoNCE between the two user vectors in the last step, or null when not computed.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ExamplesPerSecond">Training rows per second since the epoch began.</param>
/// <param name="ValidationNdcg10">Mean validation NDCG@10 over the trained tasks (full ranking, generative), when this report follows a validation.</param>
/// <param name="ValidationByTask">Validation NDCG@10 per task, when this report follows a validation.</param>
/// <param name="GradientConflict">Cosine between the search and recommendation gradients, when measured at this step.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Step,
    int TotalSteps,
    double LanguageModelLoss,
    double? ContrastiveLoss,
    double LearningRate,
    double ExamplesPerSecond,
    double? ValidationNdcg10 = null,
    IReadOnlyDictionary<string, double>? ValidationByTask = null,
    double? GradientConflict = null)
{
    /// <summary>Whether the step's batch held pointwise Yes/No rows (its <see cref="LanguageModelLoss"/> is then the Yes/No
    /// cross-entropy, not the identifier one; batches hold one kind of row).</summary>
    public bool PointwiseStep { get; init; }

    /// <summary>
    /// When the gradient conflict was measured on a model with a dense head: the cosine at each probed dense mix λ (0, 0.5, 1
    /// and <see cref="GenSRTrainingOptions.GradientConflictDenseMix"/>), all from the same batch and forward passes
    /// (<see cref="GradientConflictProbe.MeasureByDenseMix"/>); <see cref="GradientConflict"/> is the configured λ's entry.
    /// </summary>
    public IReadOnlyDictionary<double, double>? GradientConflictByDenseMix { get; init; }
}
