namespace GenSR.Unify;

/// <summary>The outcome of <see cref="GenSRTrainer.Train"/>. The model holds the best validated weights afterwards.</summary>
/// <param name="Steps">Optimisation steps run (including resumed ones).</param>
/// <param name="Epochs">Epochs started.</param>
/// <param name="BestValidationNdcg10">Best mean validation NDCG@10 (full ranking, generative); negative infinity when the split had no validation cases (the
/// final weights are kept).</param>
/// <param name="BestStep">Step of the best validation.</param>
/// <param name="StoppedEarly">Whether patience ran out (<see cref="StopReason"/> is <see cref="TrainingStopReason.EarlyStopping"/>).</param>
/// <param name="History">Every step's report, in order (losses and validations: the training curves).</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record GenSRTrainingResult(
    int Steps,
    int Epochs,
    double BestValidationNdcg10,
    int BestStep,
    bool StoppedEarly,
    IReadOnlyList<TrainingProgress> History,
    TimeSpan Elapsed)
{
    /// <summary>Why training ended.</summary>
    public TrainingStopReason StopReason { get; init; } = StoppedEarly ? TrainingStopReason.EarlyStopping : TrainingStopReason.EpochLimit;

    /// <summary>Epoch (1-based) of the best validation, or 0 when there was none.</summary>
    public int BestEpoch { get; init; }
}

/// <summary>Why <see cref="GenSRTrainer.Train"/> ended.</summary>
public enum TrainingStopReason
{
    /// <summary>All <see cref="GenSRTrainingOptions.Epochs"/> ran.</summary>
    EpochLimit,

    /// <summary>Validation NDCG@10 did not improve for <see cref="GenSRTrainingOptions.Patience"/> validations.</summary>
    EarlyStopping,

    /// <summary><see cref="GenSRTrainingOptions.MaxSteps"/> was reached.</summary>
    StepBudget,

    /// <summary><see cref="GenSRTrainingOptions.MaxDuration"/> ran out.</summary>
    TimeBudget,
}
