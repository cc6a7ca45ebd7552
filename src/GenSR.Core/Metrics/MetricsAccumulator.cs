using System.Buffers;
using System.Numerics.Tensors;

namespace GenSR.Core;

/// <summary>
/// Collects target ranks per task and turns them into Recall@K (= HR@K), NDCG@K and MRR@K, averaged over cases.
/// Only a histogram of ranks up to the largest cutoff is kept, so adding is O(1) per case and memory is O(max K).
/// Not thread-safe: use one accumulator per thread and <see cref="Merge"/> them.
/// </summary>
public sealed class MetricsAccumulator
{
    private readonly int[] _cutoffs;
    private readonly int _maxCutoff;
    // Per task: [0] = misses (rank 0 or beyond the largest cutoff), [r] = cases with rank r for r in 1..maxCutoff.
    private readonly SortedDictionary<TaskKind, long[]> _histograms = new();

    /// <summary>The cutoffs used when none are given: 5, 10 and 20.</summary>
    public static IReadOnlyList<int> DefaultCutoffs { get; } = [5, 10, 20];

    /// <summary>Creates an accumulator for the given cutoffs (default 5, 10, 20).</summary>
    /// <exception cref="ArgumentException">No cutoffs, or a cutoff outside [1, 100000].</exception>
    public MetricsAccumulator(IEnumerable<int>? cutoffs = null)
    {
        var list = (cutoffs ?? DefaultCutoffs).Distinct().Order().ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one cutoff K is required.", nameof(cutoffs));
        foreach (var k in list)
            if (k is < 1 or > 100_000)
                throw new ArgumentException($"Cutoff K = {k} is outside [1, 100000].", nameof(cutoffs));
        _cutoffs = list;
        _maxCutoff = list[^1];
    }

    /// <summary>The cutoffs K, ascending.</summary>
    public IReadOnlyList<int> Cutoffs => _cutoffs;

    /// <summary>Tasks that have at least one case, in enum order.</summary>
    public IReadOnlyList<TaskKind> Tasks => _histograms.Keys.ToArray();

    /// <summary>Number of cases added for <paramref name="task"/>.</summary>
    public long CaseCount(TaskKind task) => _histograms.TryGetValue(task, out var h) ? Sum(h) : 0;

    /// <summary>Adds one case.</summary>
    /// <param name="task">The case's task.</param>
    /// <param name="rank">1-based rank of the target, or 0 when it was not retrieved.</param>
    public void Add(TaskKind task, int rank)
    {
        if (rank < 0) throw new ArgumentOutOfRangeException(nameof(rank), rank, "A rank is 1-based, or 0 for not retrieved.");
        var h = Histogram(task);
        h[rank <= _maxCutoff ? rank : 0]++;
    }

    /// <summary>Adds many cases of one task.</summary>
    /// <param name="task">The cases' task.</param>
    /// <param name="ranks">Per case, the 1-based rank of the target, or 0 when it was not retrieved.</param>
    public void Add(TaskKind task, ReadOnlySpan<int> ranks)
    {
        if (ranks.IsEmpty) return;
        var min = TensorPrimitives.Min(ranks);
        if (min < 0)
            throw new ArgumentException($"Rank {min} at index {ranks.IndexOf(min)} is negative; a rank is 1-based, or 0 for not retrieved.", nameof(ranks));
        var h = Histogram(task);
        var max = (uint)_maxCutoff;
        foreach (var rank in ranks)
            h[(uint)rank <= max ? rank : 0]++;
    }

    /// <summary>Ranks the targets of a score matrix (see
    /// <see cref="TargetRanks.FromScores(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{int})"/>) and adds them.</summary>
    /// <param name="task">The cases' task.</param>
    /// <param name="scores">Row-major [cases, candidateCount] scores; higher is better.</param>
    /// <param name="candidateCount">Candidates per row.</param>
    /// <param name="targetColumns">Per case, the target's column.</param>
    public void AddScores(TaskKind task, ReadOnlySpan<float> scores, int candidateCount, ReadOnlySpan<int> targetColumns)
    {
        var ranks = ArrayPool<int>.Shared.Rent(targetColumns.Length);
        try
        {
            TargetRanks.FromScores(scores, candidateCount, targetColumns, ranks);
            Add(task, ranks.AsSpan(0, targetColumns.Length));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ranks);
        }
    }

    /// <summary>Adds every case of <paramref name="other"/> (which must use the same cutoffs) to this accumulator.</summary>
    public void Merge(MetricsAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other._cutoffs.AsSpan().SequenceEqual(_cutoffs))
            throw new ArgumentException($"Cutoffs differ: [{string.Join(", ", other._cutoffs)}] vs [{string.Join(", ", _cutoffs)}].", nameof(other));
        foreach (var (task, h) in other._histograms)
            TensorPrimitives.Add(Histogram(task), h, Histogram(task));
    }

    /// <summary>The metrics of <paramref name="task"/>: for each cutoff K, <c>Recall@K</c>, <c>NDCG@K</c> and <c>MRR@K</c>.</summary>
    /// <exception cref="InvalidOperationException">No case was added for the task.</exception>
    public TaskMetrics Compute(TaskKind task)
    {
        if (!_histograms.TryGetValue(task, out var h) || Sum(h) == 0)
            throw new InvalidOperationException($"No case was added for task {task}.");
        var cases = Sum(h);
        var values = new List<KeyValuePair<string, double>>(_cutoffs.Length * 3);
        long hits = 0;
        double dcg = 0, reciprocal = 0;
        var r = 1;
        foreach (var k in _cutoffs)
        {
            for (; r <= k; r++)
            {
                hits += h[r];
                dcg += h[r] / Math.Log2(r + 1);
                reciprocal += h[r] / (double)r;
            }
            // Rounding can push a perfect mean a hair above 1; clamp to the metric's range.
            values.Add(new(TaskMetrics.NameOf(RankingMetric.Recall, k), Math.Min(1.0, hits / (double)cases)));
            values.Add(new(TaskMetrics.NameOf(RankingMetric.Ndcg, k), Math.Min(1.0, dcg / cases)));
            values.Add(new(TaskMetrics.NameOf(RankingMetric.Mrr, k), Math.Min(1.0, reciprocal / cases)));
        }
        return new TaskMetrics(task, cases, values);
    }

    /// <summary>The metrics of every task that has cases, in enum order.</summary>
    public IReadOnlyList<TaskMetrics> ComputeAll() => _histograms.Keys.Select(Compute).ToArray();

    private long[] Histogram(TaskKind task)
    {
        if (!_histograms.TryGetValue(task, out var h))
        {
            if (!Enum.IsDefined(task)) throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
            _histograms[task] = h = new long[_maxCutoff + 1];
        }
        return h;
    }

    private static long Sum(long[] h) => TensorPrimitives.Sum<long>(h);
}
