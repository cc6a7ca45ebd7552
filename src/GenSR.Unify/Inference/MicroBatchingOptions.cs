using GenSR.Core;
namespace GenSR.Unify;

/// <summary>How <see cref="GenSRMicroBatcher"/> gathers concurrent calls into one model call.</summary>
public sealed record MicroBatchingOptions
{
    /// <summary>The most calls answered by one model call. Default 32; 1 to 4,096.</summary>
    public int MaxBatch { get; init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxBatch), nameof(MicroBatchingOptions)); } = 32;

    /// <summary>How long the first call of a batch waits for others to join it. Default 2 ms; 0 (take only the calls already
    /// waiting) to 1 s.</summary>
    public TimeSpan MaxDelay
    {
        get;
        init => field = value >= TimeSpan.Zero && value <= TimeSpan.FromSeconds(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, "MicroBatchingOptions.MaxDelay must be in [0, 1 s].");
    } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most calls waiting; a caller beyond it waits for room (back-pressure). Default 10,000; at least 1.</summary>
    public int MaxQueue { get; init => field = OptionGuard.AtLeast(value, 1, nameof(MaxQueue), nameof(MicroBatchingOptions)); } = 10_000;
}
