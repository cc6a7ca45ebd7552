using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>How events become embedding-table ids in the sequential baselines: 0 is always padding.</summary>
internal static class SequenceIds
{
    /// <summary>Rows of a task embedding table: padding, recommendation, search.</summary>
    public const int TaskRows = 3;

    /// <summary>The embedding row of an item: its dense id + 1.</summary>
    public static long Item(int itemId) => itemId + 1L;

    /// <summary>The embedding row of a task: 1 = recommendation, 2 = search.</summary>
    public static long Task(TaskKind task) => (long)task + 1;
}
