using GenSR.Unify.Training;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>Reports training progress on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
