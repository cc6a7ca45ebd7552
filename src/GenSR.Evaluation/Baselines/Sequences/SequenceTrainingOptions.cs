using GenSR.Core;
namespace GenSR.Evaluation;

/// <summary>
/// Optimisation settings shared by the sequential baselines (SASRec and the joint model): Adam over mini-batches of
/// history windows, one validation evaluation per epoch, early stopping on the validation selection metric
/// (NDCG@10) with patience, and the best epoch's weights kept. Every value is validated when set.
/// </summary>
public sealed record SequenceTrainingOptions
{
    /// <summary>Epoch limit, in [1, 1000]. Default 40.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxEpochs
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 1000, nameof(MaxEpochs), nameof(SequenceTrainingOptions));
    } = 40;

    /// <summary>Evaluations without improvement of the validation metric before training stops, in [1, 1000]. Default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Patience
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 1000, nameof(Patience), nameof(SequenceTrainingOptions));
    } = 3;

    /// <summary>History windows per mini-batch, in [1, 65,536]. Default 128 (the SASRec paper's batch size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int BatchSize
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(BatchSize), nameof(SequenceTrainingOptions));
    } = 128;

    /// <summary>Adam learning rate, in (0, 1]. Default 0.001 (the SASRec paper's value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double LearningRate
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(LearningRate), nameof(SequenceTrainingOptions), minExclusive: true);
    } = 1e-3;

    /// <summary>Adam's second-moment decay β2, in [0, 1). Default 0.98 (the SASRec paper's value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double Beta2
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(Beta2), nameof(SequenceTrainingOptions), maxExclusive: true);
    } = 0.98;

    /// <summary>Adam weight decay (L2), in [0, 1]. Default 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double WeightDecay
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(WeightDecay), nameof(SequenceTrainingOptions));
    }

    /// <summary>Gradient-norm clipping threshold, in (0, 1000]; <c>null</c> (default) does not clip.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double? GradientClip
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1000, nameof(GradientClip), nameof(SequenceTrainingOptions), minExclusive: true);
    }
}
