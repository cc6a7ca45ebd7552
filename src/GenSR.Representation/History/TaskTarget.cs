using GenSR.Core;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// A learned target vector per <see cref="TaskKind"/> (parameter <c>weight [tasks, d]</c>, row = the task's value): the
/// target of the history encoders where the task has no concrete target, i.e. recommendation in generative mode. See
/// <see cref="CollaborativeHistoryEncoder"/> for how each kind of target is built.
/// </summary>
public sealed class TaskTarget : nn.Module<Tensor, Tensor>
{
    /// <summary>Number of task kinds (rows of <c>weight</c>).</summary>
    public static int TaskCount { get; } = Enum.GetValues<TaskKind>().Length;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    /// <summary>Creates the vectors, width <paramref name="dimension"/>, initialised from N(0, 1) like an embedding table.</summary>
    public TaskTarget(int dimension) : base(nameof(TaskTarget))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        _weight = new Parameter(randn(TaskCount, dimension));
        RegisterComponents();
    }

    /// <summary>Width of each target vector.</summary>
    public int Dimension { get; }

    /// <summary>Task ids <c>[batch]</c> (int64, values of <see cref="TaskKind"/>) → target vectors <c>[batch, d]</c>.</summary>
    public override Tensor forward(Tensor taskIds) => _weight.index_select(0, taskIds);

    /// <summary>The vector of <paramref name="task"/> repeated for a batch: <c>[batchSize, d]</c>, an expanded view of one row
    /// of <c>weight</c> (gradients flow into that row; do not write into it).</summary>
    public Tensor For(TaskKind task, long batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 0);
        using var row = _weight[(long)task];
        return row.unsqueeze(0).expand(batchSize, Dimension);
    }
}
