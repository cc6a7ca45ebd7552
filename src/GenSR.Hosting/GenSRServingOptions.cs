using GenSR.Core;

namespace GenSR.Hosting;

/// <summary>
/// Options of <see cref="GenSRServiceCollectionExtensions.AddGenSR"/>; bind them from configuration (for example a
/// <c>"GenSR"</c> section: <c>services.AddGenSR().Bind(configuration.GetSection("GenSR"))</c>).
/// </summary>
public sealed class GenSRServingOptions
{
    /// <summary>The checkpoint folder to serve (written by <c>GenSRCheckpoint.Save</c> or the trainer's <c>best/</c>). Required.</summary>
    public string CheckpointPath { get; set; } = "";

    /// <summary>Where the model runs: <c>auto</c> (the default: the first CUDA device when one is available, else the CPU),
    /// <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (<see cref="TorchRuntime.ParseDevice"/>).</summary>
    public string Device { get; set; } = "auto";

    /// <summary>CPU threads for torch's operators. Default 1: for models of this size on a server, one thread per model call
    /// and concurrency from micro-batching are faster than torch's default of all cores, which oversubscribes them. 0 keeps
    /// torch's default.</summary>
    public int TorchThreads { get; set; } = 1;

    /// <summary>Requests per model call inside the recommender (a batch larger than this is split). Default 64.</summary>
    public int ModelBatch { get; set; } = 64;

    /// <summary>Whether <c>IGenSRRecommender</c> gathers concurrent calls into batches (<c>GenSRMicroBatcher</c>). Default true.</summary>
    public bool MicroBatching { get; set; } = true;

    /// <summary>The most calls in one micro-batch. Default 32.</summary>
    public int MicroBatchSize { get; set; } = 32;

    /// <summary>How long the first call of a micro-batch waits for others, in milliseconds. Default 2.</summary>
    public double MicroBatchDelayMilliseconds { get; set; } = 2;

    /// <summary>How often the checkpoint folder is checked for a newly saved version, which is then loaded and swapped in
    /// while calls run, in seconds. Default 0: never (the served checkpoint stays until the process restarts).</summary>
    public double ReloadCheckSeconds { get; set; }

    /// <summary>What is wrong with these options, or null when they are usable.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(CheckpointPath) ? "GenSR:CheckpointPath is required: the checkpoint folder to serve."
        : DeviceProblem() is { } device ? device
        : TorchThreads < 0 ? $"GenSR:TorchThreads must be 0 (torch's default) or more, not {TorchThreads}."
        : ModelBatch < 1 ? $"GenSR:ModelBatch must be at least 1, not {ModelBatch}."
        : MicroBatchSize is < 1 or > 4096 ? $"GenSR:MicroBatchSize must be in [1, 4096], not {MicroBatchSize}."
        : !(MicroBatchDelayMilliseconds is >= 0 and <= 1000) ? $"GenSR:MicroBatchDelayMilliseconds must be in [0, 1000], not {MicroBatchDelayMilliseconds}."
        : !(ReloadCheckSeconds is >= 0 and <= 86_400) ? $"GenSR:ReloadCheckSeconds must be in [0, 86400], not {ReloadCheckSeconds}."
        : null;

    private string? DeviceProblem()
    {
        try
        {
            TorchRuntime.ParseDevice(Device);
            return null;
        }
        catch (ArgumentException)
        {
            return $"GenSR:Device must be auto, cpu, cuda or cuda:N, not \"{Device}\".";
        }
    }
}
