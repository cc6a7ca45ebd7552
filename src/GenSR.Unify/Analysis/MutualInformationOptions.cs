namespace GenSR.Unify;

/// <summary>Options of <see cref="MutualInformationEstimator"/>. Immutable; validated where set.</summary>
public sealed record MutualInformationOptions
{
    /// <summary>Pairs per InfoNCE batch; the estimate cannot exceed log(BatchSize). Default 128; 2 … 65,536.</summary>
    public int BatchSize { get; init => field = value is >= 2 and <= 65_536 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "MutualInformationOptions.BatchSize must be in [2, 65536]."); } = 128;

    /// <summary>Critic training steps. Default 300; 1 … 1,000,000.</summary>
    public int Steps { get; init => field = value is >= 1 and <= 1_000_000 ? value : throw new ArgumentOutOfRangeException(nameof(Steps), value, "MutualInformationOptions.Steps must be in [1, 1000000]."); } = 300;

    /// <summary>Width of the critic's two projections. Default 64; 1 … 4096.</summary>
    public int CriticDimension { get; init => field = value is >= 1 and <= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(CriticDimension), value, "MutualInformationOptions.CriticDimension must be in [1, 4096]."); } = 64;

    /// <summary>Share of the pairs held out for the estimate (the critic trains on the rest). Default 0.3; (0, 1).</summary>
    public double HeldOutFraction { get; init => field = value is > 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(HeldOutFraction), value, "MutualInformationOptions.HeldOutFraction must be in (0, 1)."); } = 0.3;

    /// <summary>Critic learning rate (Adam). Default 1e-2.</summary>
    public double LearningRate { get; init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "MutualInformationOptions.LearningRate must be in (0, 1]."); } = 1e-2;

    /// <summary>Seed of the split, batches and critic initialisation. Default 42.</summary>
    public long Seed { get; init; } = 42;
}
