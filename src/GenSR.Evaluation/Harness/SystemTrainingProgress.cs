namespace GenSR.Evaluation;

/// <summary>Reported by a training system after every epoch.</summary>
/// <param name="System">The system's name.</param>
/// <param name="Epoch">The epoch just finished (1-based).</param>
/// <param name="MaxEpochs">The epoch limit.</param>
/// <param name="Loss">Mean training loss of the epoch.</param>
/// <param name="ValidationScore">The selection metric on validation after this epoch, or <c>null</c> when not evaluated.</param>
/// <param name="BestValidationScore">The best selection metric so far, or <c>null</c>.</param>
/// <param name="BestEpoch">The epoch of the best score (0 before the first evaluation).</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record SystemTrainingProgress(
    string System, int Epoch, int MaxEpochs, double Loss, double? ValidationScore, double? BestValidationScore, int BestEpoch, TimeSpan Elapsed);
