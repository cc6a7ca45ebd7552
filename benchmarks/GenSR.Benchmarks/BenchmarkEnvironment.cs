using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// The environment knobs every torch benchmark shares: <c>GENSR_DEVICE</c> (auto, cpu, cuda or cuda:N; default auto = CUDA when
/// available) and <c>GENSR_TORCH_THREADS</c> (torch's intra-op CPU threads; default: torch's choice). Environment
/// variables rather than parameters, because BenchmarkDotNet runs in-process on the GPU machine and the same binary must
/// run unchanged on both machines.
/// </summary>
internal static class BenchmarkEnvironment
{
    /// <summary>Resolves <paramref name="variable"/> (falling back to <c>GENSR_DEVICE</c>, then auto) to a torch device.</summary>
    /// <exception cref="ArgumentException">The variable holds something other than auto, cpu, cuda or cuda:N.</exception>
    public static Device Device(string variable = "GENSR_DEVICE")
    {
        var text = Environment.GetEnvironmentVariable(variable) ?? Environment.GetEnvironmentVariable("GENSR_DEVICE") ?? "auto";
        try
        {
            return TorchRuntime.Resolve(TorchRuntime.ParseDevice(text));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{variable}=\"{text}\": expected auto, cpu, cuda or cuda:N.", variable, e);
        }
    }

    /// <summary>Applies <paramref name="variable"/> (falling back to <c>GENSR_TORCH_THREADS</c>) as torch's intra-op thread count.</summary>
    public static void ApplyThreads(string variable = "GENSR_TORCH_THREADS")
    {
        var text = Environment.GetEnvironmentVariable(variable) ?? Environment.GetEnvironmentVariable("GENSR_TORCH_THREADS");
        if (text is null) return;
        if (!int.TryParse(text, out var threads) || threads < 0)
            throw new ArgumentException($"{variable}=\"{text}\": expected a non-negative thread count (0 keeps torch's default).", variable);
        TorchRuntime.SetThreads(threads);
    }

    /// <summary>A comma-separated list of integers from <paramref name="variable"/>, or <paramref name="defaults"/> when unset.</summary>
    /// <exception cref="ArgumentException">An entry is not a positive integer.</exception>
    public static IEnumerable<int> Integers(string variable, params int[] defaults)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return defaults;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
            int.TryParse(entry, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{variable}=\"{text}\": \"{entry}\" is not a positive integer.", variable)).ToArray();
    }

    /// <summary>Waits until every kernel queued on <paramref name="device"/> has finished (no-op on the CPU), so that a
    /// timed invocation on CUDA ends when the work ends rather than when it was queued.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
