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
        init => field = value is >= 1 and <= 1000 ? value : throw Range(nameof(MaxEpochs), value, "[1, 1000]");
    } = 40;

    /// <summary>Evaluations without improvement of the validation metric before training stops, in [1, 1000]. Default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Patience
    {
        get;
        init => field = value is >= 1 and <= 1000 ? value : throw Range(nameof(Patience), value, "[1, 1000]");
    } = 3;

    /// <summary>History windows per mini-batch, in [1, 65,536]. Default 128 (the SASRec paper's batch size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536 ? value : throw Range(nameof(BatchSize), value, "[1, 65536]");
    } = 128;

    /// <summary>Adam learning rate, in (0, 1]. Default 0.001 (the SASRec paper's value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double LearningRate
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw Range(nameof(LearningRate), value, "(0, 1]");
    } = 1e-3;

    /// <summary>Adam's second-moment decay β2, in [0, 1). Default 0.98 (the SASRec paper's value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double Beta2
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw Range(nameof(Beta2), value, "[0, 1)");
    } = 0.98;

    /// <summary>Adam weight decay (L2), in [0, 1]. Default 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double WeightDecay
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw Range(nameof(WeightDecay), value, "[0, 1]");
    }

    /// <summary>Gradient-norm clipping threshold, in (0, 1000]; <c>null</c> (default) does not clip.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double? GradientClip
    {
        get;
        init => field = value is null or (> 0 and <= 1000) ? value : throw Range(nameof(GradientClip), value, "(0, 1000]");
    }

    private static ArgumentOutOfRangeException Range(string name, object? value, string range) =>
        new(name, value, $"SequenceTrainingOptions.{name} must be in {range}.");
}
