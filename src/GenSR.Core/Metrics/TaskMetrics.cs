
namespace GenSR.Core;

/// <summary>The metrics of one task (search or recommendation): means over its cases, by metric name such as <c>NDCG@10</c>.</summary>
public sealed class TaskMetrics
{
    private readonly string[] _names;
    private readonly Dictionary<string, double> _values;

    /// <summary>Creates the metrics of one task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cases">Number of evaluated cases (users); at least 1.</param>
    /// <param name="values">Metric name → mean value in [0, 1], in display order.</param>
    /// <exception cref="ArgumentException">No cases, a duplicate or empty name, or a value outside [0, 1].</exception>
    public TaskMetrics(TaskKind task, long cases, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Enum.IsDefined(task)) throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        if (cases <= 0) throw new ArgumentOutOfRangeException(nameof(cases), cases, "Metrics need at least one case.");
        Task = task;
        Cases = cases;
        var names = new List<string>();
        _values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A metric name is empty.", nameof(values));
            if (!(value >= 0 && value <= 1)) throw new ArgumentException($"Metric {name} = {value} is outside [0, 1].", nameof(values));
            if (!_values.TryAdd(name, value)) throw new ArgumentException($"Metric {name} is given twice.", nameof(values));
            names.Add(name);
        }
        _names = names.ToArray();
    }

    /// <summary>The task these metrics belong to.</summary>
    public TaskKind Task { get; }

    /// <summary>Number of evaluated cases (one per user and task).</summary>
    public long Cases { get; }

    /// <summary>Metric names in display order (e.g. <c>Recall@5, NDCG@5, MRR@5, Recall@10, …</c>).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Metric name → mean value in [0, 1].</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>The value of metric <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not computed (the message lists those that were).</exception>
    public double this[string name] => _values.TryGetValue(name, out var v)
        ? v
        : throw new KeyNotFoundException($"Metric \"{name}\" was not computed for {Task}; available: {string.Join(", ", _names)}.");

    /// <summary>The value of <paramref name="metric"/> at cutoff <paramref name="cutoff"/>.</summary>
    public double Get(RankingMetric metric, int cutoff) => this[NameOf(metric, cutoff)];

    /// <summary>The display name of a metric at a cutoff: <c>Recall@10</c>, <c>NDCG@10</c> or <c>MRR@10</c> (Recall@K equals HR@K here).</summary>
    public static string NameOf(RankingMetric metric, int cutoff) => metric switch
    {
        RankingMetric.Recall => $"Recall@{cutoff}",
        RankingMetric.Ndcg => $"NDCG@{cutoff}",
        RankingMetric.Mrr => $"MRR@{cutoff}",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Expected Recall, Ndcg or Mrr."),
    };
}
