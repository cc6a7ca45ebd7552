namespace GenSR.Representation;

/// <summary>What happened during training: the loss of every epoch and every validation measurement.</summary>
/// <param name="EpochLosses">Mean training loss (BPR + L2 term) per pair, one entry per epoch, in order.</param>
/// <param name="Validations">Validation Recall@K measurements, in order (empty without validation targets).</param>
/// <param name="RecallK">The K of the recorded Recall@K.</param>
public sealed record CollaborativeTrainingHistory(IReadOnlyList<double> EpochLosses, IReadOnlyList<CollaborativeValidationPoint> Validations, int RecallK);
