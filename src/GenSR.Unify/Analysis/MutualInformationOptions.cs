using GenSR.Core;
namespace GenSR.Unify;

/// <summary>Options of <see cref="MutualInformationEstimator"/>. Immutable; validated where set.</summary>
public sealed record MutualInformationOptions
{
    /// <summary>Pairs per InfoNCE batch; the estimate cannot exceed log(BatchSize). Default 128; 2 … 65,536.</summary>
    public int BatchSize { get; init => field = OptionGuard.InRange(value, 2, 65_536, nameof(BatchSize), nameof(MutualInformationOptions)); } = 128;

    /// <summary>Critic training steps. Default 300; 1 … 1,000,000.</summary>
    public int Steps { get; init => field = OptionGuard.InRange(value, 1, 1_000_000, nameof(Steps), nameof(MutualInformationOptions)); } = 300;

    /// <summary>Width of the critic's two projections. Default 64; 1 … 4096.</summary>
    public int CriticDimension { get; init => field = OptionGuard.InRange(value, 1, 4096, nameof(CriticDimension), nameof(MutualInformationOptions)); } = 64;

    /// <summary>Share of the pairs held out for the estimate (the critic trains on the rest). Default 0.3; (0, 1).</summary>
    public double HeldOutFraction
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(HeldOutFraction), nameof(MutualInformationOptions), minExclusive: true, maxExclusive: true);
    } = 0.3;

    /// <summary>Critic learning rate (Adam). Default 1e-2.</summary>
    public double LearningRate
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(LearningRate), nameof(MutualInformationOptions), minExclusive: true);
    } = 1e-2;

    /// <summary>Seed of the split, batches and critic initialisation. Default 42.</summary>
    public long Seed { get; init; } = 42;
}
