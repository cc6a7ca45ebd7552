using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// The training part of every user cut into next-event windows for causal sequence models: each window holds up to
/// <see cref="Length"/> input events, left-padded so the most recent event sits at the last position, and at every
/// position the event that follows (the target). Windows are cut from the end of each user's training part with stride
/// <see cref="Length"/>, so every training event after a user's first is a target exactly once.
/// </summary>
internal sealed class TrainingWindows
{
    private TrainingWindows(int length, int count, long[] inputItems, long[] inputTasks, string?[] inputQueries,
                            long[] targetItems, long[] targetTasks, string?[] targetQueries)
    {
        Length = length;
        Count = count;
        InputItems = inputItems;
        InputTasks = inputTasks;
        InputQueries = inputQueries;
        TargetItems = targetItems;
        TargetTasks = targetTasks;
        TargetQueries = targetQueries;
    }

    /// <summary>Positions per window.</summary>
    public int Length { get; }

    /// <summary>Number of windows.</summary>
    public int Count { get; }

    /// <summary>[Count, Length] input item ids shifted by one (0 = padding).</summary>
    public long[] InputItems { get; }

    /// <summary>[Count, Length] input task ids (<see cref="SequenceIds.Task"/>; 0 = padding).</summary>
    public long[] InputTasks { get; }

    /// <summary>[Count, Length] query of each input search event, else null.</summary>
    public string?[] InputQueries { get; }

    /// <summary>[Count, Length] target item ids (unshifted, 0-based), −1 where there is no target.</summary>
    public long[] TargetItems { get; }

    /// <summary>[Count, Length] target task ids (0 where there is no target).</summary>
    public long[] TargetTasks { get; }

    /// <summary>[Count, Length] query of each target search event, else null.</summary>
    public string?[] TargetQueries { get; }

    /// <summary>Cuts the training part of every user of <paramref name="split"/> into windows of <paramref name="length"/> positions.</summary>
    public static TrainingWindows Build(DatasetSplit split, int length)
    {
        ArgumentNullException.ThrowIfNull(split);
        var inputItems = new List<long>();
        var inputTasks = new List<long>();
        var inputQueries = new List<string?>();
        var targetItems = new List<long>();
        var targetTasks = new List<long>();
        var targetQueries = new List<string?>();
        var count = 0;
        for (var u = 0; u < split.Dataset.Users.Count; u++)
        {
            var events = split.GetTrainingEvents(u);
            // end = index of the window's last target; its inputs are events [end − length, end).
            for (var end = events.Count - 1; end >= 1; end -= length)
            {
                var start = Math.Max(0, end - length);
                var real = end - start;
                var pad = length - real;
                for (var p = 0; p < pad; p++)
                {
                    inputItems.Add(0);
                    inputTasks.Add(0);
                    inputQueries.Add(null);
                    targetItems.Add(-1);
                    targetTasks.Add(0);
                    targetQueries.Add(null);
                }
                for (var i = start; i < end; i++)
                {
                    var input = events[i];
                    var target = events[i + 1];
                    inputItems.Add(SequenceIds.Item(input.ItemId));
                    inputTasks.Add(SequenceIds.Task(input.Task));
                    inputQueries.Add(input.Task == TaskKind.Search ? input.Query : null);
                    targetItems.Add(target.ItemId);
                    targetTasks.Add(SequenceIds.Task(target.Task));
                    targetQueries.Add(target.Task == TaskKind.Search ? target.Query : null);
                }
                count++;
            }
        }
        return new TrainingWindows(length, count, inputItems.ToArray(), inputTasks.ToArray(), inputQueries.ToArray(),
                                   targetItems.ToArray(), targetTasks.ToArray(), targetQueries.ToArray());
    }
}
