using System.Runtime.CompilerServices;
using GenSR.Core;

namespace GenSR.Evaluation.Tests;

internal static class TorchThreads
{
    /// <summary>The CI machine's cores are shared: one intra-op thread avoids oversubscription stalls that make small models many times slower.</summary>
    [ModuleInitializer]
    internal static void UseOneThread() => TorchRuntime.SetThreads(1);
}
