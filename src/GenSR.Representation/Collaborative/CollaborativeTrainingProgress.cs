namespace GenSR.Representation;

/// <summary>Reported after every epoch of <see cref="CollaborativeTrainer.Train"/>.</summary>
/// <param name="Epoch">The epoch just finished (1-based).</param>
/// <param name="MaxEpochs">The epoch limit.</param>
/// <param name="Loss">Mean training loss of the epoch (BPR + L2 term), per pair.</param>
/// <param name="ValidationRecall">Validation Recall@K after this epoch, or <c>null</c> when not evaluated.</param>
/// <param name="BestValidationRecall">Best validation Recall@K so far, or <c>null</c> before the first evaluation.</param>
/// <param name="BestEpoch">Epoch of the best validation Recall@K (0 before the first evaluation).</param>
/// <param name="PairsPerSecond">Training throughput of the epoch, in (user, positive, negative) triples per second.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record CollaborativeTrainingProgress(
    int Epoch, int MaxEpochs, double Loss, double? ValidationRecall, double? BestValidationRecall, int BestEpoch, double PairsPerSecond, TimeSpan Elapsed);
