namespace GenSR.Evaluation.Tests.Baselines;

/// <summary>Collects progress reports on the reporting thread.</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value) => Reports.Add(value);
}
