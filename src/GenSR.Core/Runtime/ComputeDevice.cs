namespace GenSR.Core;

/// <summary>Which device to run on.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when available, otherwise the CPU.</summary>
    Auto = 0,

    /// <summary>The CPU.</summary>
    Cpu = 1,

    /// <summary>The first CUDA device; fails when none is available.</summary>
    Cuda = 2,
}
