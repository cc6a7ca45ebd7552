using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// The histories of evaluation cases laid out like <see cref="TrainingWindows"/> inputs: the most recent
/// <c>length</c> events, left-padded, so the most recent event sits at the last position.
/// </summary>
/// <param name="Items">[cases, length] item ids shifted by one (0 = padding).</param>
/// <param name="Tasks">[cases, length] task ids (0 = padding).</param>
/// <param name="Queries">[cases, length] query of each search event, else null.</param>
internal sealed record HistoryWindow(long[] Items, long[] Tasks, string?[] Queries)
{
    /// <summary>Lays out the histories of <paramref name="cases"/>.</summary>
    public static HistoryWindow FromCases(IReadOnlyList<EvaluationCase> cases, int length)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var items = new long[cases.Count * length];
        var tasks = new long[cases.Count * length];
        var queries = new string?[cases.Count * length];
        for (var row = 0; row < cases.Count; row++)
        {
            var history = cases[row].History;
            var real = Math.Min(length, history.Count);
            var offset = row * length + (length - real);
            for (var i = 0; i < real; i++)
            {
                var e = history[history.Count - real + i];
                items[offset + i] = SequenceIds.Item(e.ItemId);
                tasks[offset + i] = SequenceIds.Task(e.Task);
                queries[offset + i] = e.Task == TaskKind.Search ? e.Query : null;
            }
        }
        return new HistoryWindow(items, tasks, queries);
    }
}
