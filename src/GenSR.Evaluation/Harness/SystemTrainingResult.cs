namespace GenSR.Evaluation;

/// <summary>What <see cref="IEvaluatedSystem.Train"/> did.</summary>
/// <param name="Epochs">Epochs run (0 for systems without training, such as BM25 or popularity).</param>
/// <param name="SelectedEpoch">The epoch whose weights the system kept (chosen on validation), 0 when not applicable.</param>
/// <param name="ValidationScore">The selection metric of the kept weights on validation, or <c>null</c> when none was computed.</param>
/// <param name="ValidationMetric">The name of that metric (e.g. <c>NDCG@10</c>, mean over tasks), or <c>null</c>.</param>
/// <param name="StoppedEarly">Whether training stopped before its epoch limit because validation stopped improving.</param>
public sealed record SystemTrainingResult(int Epochs, int SelectedEpoch, double? ValidationScore, string? ValidationMetric, bool StoppedEarly)
{
    /// <summary>What a reader should know about the training, e.g. which hyper-parameter validation chose; <c>null</c> for nothing.</summary>
    public string? Note { get; init; }

    /// <summary>The result of a system that has nothing to train.</summary>
    public static SystemTrainingResult NotTrained { get; } = new(0, 0, null, null, false);
}
