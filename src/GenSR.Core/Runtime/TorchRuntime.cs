using TorchSharp;

namespace GenSR.Core;

/// <summary>Device selection, seeding and threading for everything that runs on torch, and the check that torch's native
/// backend is there.</summary>
public static class TorchRuntime
{
    /// <summary>The native CPU backend package an application references (libraries never do).</summary>
    public const string CpuBackendPackage = "libtorch-cpu-linux-x64";

    /// <summary>The libtorch version TorchSharp 0.107 is built against: the backend package must have exactly this version.</summary>
    public const string BackendVersion = "2.10.0";

    private static volatile bool s_backendChecked;

    /// <summary>
    /// Checks once per process that torch's native backend loads, so that a missing backend is one clear message at the
    /// first GenSR call (device selection, seeding, threads), not a type-initialisation error deep inside. Called by
    /// <see cref="Resolve"/>, <see cref="Seed"/> and <see cref="SetThreads"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The native backend cannot be loaded; the message names the package and
    /// version to add.</exception>
    public static void EnsureBackend()
    {
        if (s_backendChecked) return;
        CheckBackend(static () =>
        {
            using var probe = torch.zeros(1);
        });
        s_backendChecked = true;
    }

    /// <summary>Runs <paramref name="probe"/> (a first torch call) and turns the ways a missing or mismatched native library
    /// fails into the message of <see cref="EnsureBackend"/>.</summary>
    internal static void CheckBackend(Action probe)
    {
        try
        {
            probe();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or EntryPointNotFoundException
            or BadImageFormatException)
        {
            throw new InvalidOperationException(
                $"GenSR could not load torch's native backend ({Innermost(e).Message.TrimEnd('.')}). Add the package {CpuBackendPackage} version " +
                $"{BackendVersion} to your application (<PackageReference Include=\"{CpuBackendPackage}\" Version=\"{BackendVersion}\" />), or a CUDA " +
                $"libtorch {BackendVersion} package, or put an existing libtorch {BackendVersion} lib/ folder on the library path; libraries reference " +
                "only the managed TorchSharp package. On Linux, TorchSharp 0.107 also needs libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer).", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>Whether a CUDA device is usable in this process (a CUDA libtorch is loaded and a GPU is present).</summary>
    public static bool CudaAvailable
    {
        get
        {
            try { return torch.cuda.is_available(); }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException) { return false; }
        }
    }

    /// <summary>
    /// The device to run on: <paramref name="device"/> itself, or for <c>null</c> (every <c>Device</c> option's default)
    /// the first CUDA device when one is available, else the CPU.
    /// </summary>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for but no CUDA device is available.</exception>
    /// <exception cref="InvalidOperationException">The native backend is missing (see <see cref="EnsureBackend"/>).</exception>
    public static torch.Device Resolve(torch.Device? device)
    {
        EnsureBackend();
        if (device is null) return CudaAvailable ? torch.CUDA : torch.CPU;
        if (device.type == DeviceType.CUDA && !CudaAvailable)
            throw new InvalidOperationException(
                $"The device {device} was asked for but CUDA is not available: the loaded libtorch has no CUDA support or no GPU is visible. " +
                                                "Run on the CPU (torch.CPU), or against a CUDA libtorch.");
        return device;
    }

    /// <summary>
    /// Parses a device name (case-insensitive): <c>auto</c> (returns <c>null</c>, which <see cref="Resolve"/> turns into CUDA
    /// when available, else the CPU), <c>cpu</c>, <c>cuda</c> (or <c>gpu</c>) for the first CUDA device, or <c>cuda:N</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static torch.Device? ParseDevice(string text)
    {
        var name = text?.Trim().ToLowerInvariant();
        switch (name)
        {
            case "auto": return null;
            case "cpu": return torch.CPU;
            // Not torch.CUDA, which initialises CUDA and throws where there is none: parsing a name must not need the device.
            case "cuda" or "gpu": return new torch.Device(DeviceType.CUDA);
        }

        if (name is not null && name.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return new torch.Device(DeviceType.CUDA, index);
        throw new ArgumentException($"Unknown device \"{text}\": expected auto, cpu, cuda or cuda:N.", nameof(text));
    }

    /// <summary>Seeds torch (CPU and every CUDA device). Managed code takes its own seeded <see cref="Random"/> from the same seed.</summary>
    public static void Seed(long seed)
    {
        EnsureBackend();
        torch.manual_seed(seed);
        if (CudaAvailable) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>Sets the number of intra-op CPU threads torch uses; <c>0</c> or less keeps torch's default.</summary>
    public static void SetThreads(int threads)
    {
        EnsureBackend();
        if (threads <= 0) return;
        torch.set_num_threads(threads);
        ThreadsConfigured = true;
    }

    /// <summary>Whether <see cref="SetThreads"/> has set a thread count in this process.</summary>
    public static bool ThreadsConfigured { get; private set; }

    /// <summary>
    /// A warning for the log when torch still runs on its default thread count (every core): for models of GenSR's sizes
    /// on a CPU, one thread per call is far faster under concurrent load (measured 15× slower training with the default on
    /// two busy cores). Null when the count was set, the environment sets OMP_NUM_THREADS, or torch uses one thread anyway.
    /// </summary>
    public static string? ThreadAdvice() =>
        ThreadAdvice(ThreadsConfigured, Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 }, torch.get_num_threads());

    internal static string? ThreadAdvice(bool configured, bool fromEnvironment, int threads) =>
        configured || fromEnvironment || threads <= 1 ? null
            : $"torch runs on its default of {threads} CPU threads. For GenSR's model sizes that oversubscribes the cores under concurrent calls; " +
              "call TorchRuntime.SetThreads(1) before the first model call when serving (GenSR.Hosting does), or set the count you measured best for training.";

    /// <summary>A seeded managed random generator derived from <paramref name="seed"/> and a stream number, so that
    /// independent components draw independent, reproducible streams.</summary>
    public static Random CreateRandom(long seed, int stream = 0) =>
        new(unchecked((int)(seed * 1_000_003L) ^ (stream * 7919) ^ 0x5F3759DF));
}
