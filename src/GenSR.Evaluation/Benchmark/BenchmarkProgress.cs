
namespace GenSR.Evaluation;

/// <summary>Reported by <see cref="BenchmarkRunner"/> while it runs.</summary>
/// <param name="System">The system's name.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Message">What happened, in words (e.g. <c>trained in 12.3 s</c>).</param>
/// <param name="Training">The epoch report when the message is about one, else <c>null</c>.</param>
public sealed record BenchmarkProgress(string System, long Seed, string Message, SystemTrainingProgress? Training = null);
