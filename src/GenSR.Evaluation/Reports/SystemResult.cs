using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>All runs of one compared system.</summary>
/// <param name="Name">The system's name.</param>
/// <param name="Tasks">The tasks it serves.</param>
/// <param name="Runs">One run per seed, in seed order.</param>
public sealed record SystemResult(string Name, IReadOnlyList<TaskKind> Tasks, IReadOnlyList<SystemRun> Runs)
{
    /// <summary>The protocols under which the system has test results.</summary>
    public IReadOnlyList<EvaluationProtocol> Protocols =>
        Runs.SelectMany(r => r.Reports).Select(r => r.Protocol).Distinct().Order().ToArray();

    /// <summary>The mean and deviation of a metric over the runs, or <c>null</c> when the system has no such result.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="task">The task.</param>
    /// <param name="metric">The metric name, e.g. <c>NDCG@10</c>.</param>
    public MetricSummary? Summarize(EvaluationProtocol protocol, TaskKind task, string metric)
    {
        var values = new List<double>();
        foreach (var run in Runs)
        {
            var report = run.Reports.FirstOrDefault(r => r.Protocol == protocol);
            var taskMetrics = report?.Tasks.FirstOrDefault(t => t.Task == task);
            if (taskMetrics is not null && taskMetrics.Values.TryGetValue(metric, out var value)) values.Add(value);
        }
        return values.Count == 0 ? null : MetricSummary.Of(values);
    }
}
