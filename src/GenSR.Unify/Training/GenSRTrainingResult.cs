namespace GenSR.Unify.Training;

/// <summary>The outcome of <see cref="GenSRTrainer.Train"/>. The model holds the best validated weights afterwards.</summary>
/// <param name="Steps">Optimisation steps run (including resumed ones).</param>
/// <param name="Epochs">Epochs started.</param>
/// <param name="BestValidationNdcg10">Best mean validation NDCG@10 (full ranking, generative).</param>
/// <param name="BestStep">Step of the best validation.</param>
/// <param name="StoppedEarly">Whether patience ran out before the last epoch.</param>
/// <param name="History">Every step's report, in order (losses and validations: the training curves).</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record GenSRTrainingResult(
    int Steps,
    int Epochs,
    double BestValidationNdcg10,
    int BestStep,
    bool StoppedEarly,
    IReadOnlyList<TrainingProgress> History,
    TimeSpan Elapsed);
