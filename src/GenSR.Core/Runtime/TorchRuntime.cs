using TorchSharp;

namespace GenSR.Core.Runtime;

/// <summary>Device selection, seeding and threading for everything that runs on torch.</summary>
public static class TorchRuntime
{
    /// <summary>Whether a CUDA device is usable in this process (a CUDA libtorch is loaded and a GPU is present).</summary>
    public static bool CudaAvailable
    {
        get
        {
            try { return torch.cuda.is_available(); }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException) { return false; }
        }
    }

    /// <summary>Resolves a device choice: <see cref="ComputeDevice.Auto"/> is CUDA when available, else the CPU.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ComputeDevice.Cuda"/> was asked for but no CUDA device is available.</exception>
    public static torch.Device Resolve(ComputeDevice device) => device switch
    {
        ComputeDevice.Cpu => torch.CPU,
        ComputeDevice.Cuda => CudaAvailable
            ? torch.CUDA
            : throw new InvalidOperationException("CUDA was requested but is not available: the loaded libtorch has no CUDA support or no GPU is visible. " +
                                                  "Use --device cpu, or run against a CUDA libtorch (see docs/gpu.md)."),
        ComputeDevice.Auto => CudaAvailable ? torch.CUDA : torch.CPU,
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Expected Auto, Cpu or Cuda."),
    };

    /// <summary>Parses <c>auto</c>, <c>cpu</c> or <c>cuda</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static ComputeDevice Parse(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "auto" => ComputeDevice.Auto,
        "cpu" => ComputeDevice.Cpu,
        "cuda" or "gpu" => ComputeDevice.Cuda,
        _ => throw new ArgumentException($"Unknown device \"{text}\": expected auto, cpu or cuda.", nameof(text)),
    };

    /// <summary>Seeds torch (CPU and every CUDA device). Managed code takes its own seeded <see cref="Random"/> from the same seed.</summary>
    public static void Seed(long seed)
    {
        torch.manual_seed(seed);
        if (CudaAvailable) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>Sets the number of intra-op CPU threads torch uses; <c>0</c> or less keeps torch's default.</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }

    /// <summary>A seeded managed random generator derived from <paramref name="seed"/> and a stream number, so that
    /// independent components draw independent, reproducible streams.</summary>
    public static Random CreateRandom(long seed, int stream = 0) =>
        new(unchecked((int)(seed * 1_000_003L) ^ (stream * 7919) ^ 0x5F3759DF));
}
