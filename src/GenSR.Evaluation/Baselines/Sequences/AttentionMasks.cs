using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>Attention masks of the causal sequence models.</summary>
internal static class AttentionMasks
{
    /// <summary>
    /// [batch, length] item ids (0 = padding) → [batch, 1, length, length] bool, true where query position i may attend to
    /// key position j: j ≤ i and j is a real event. Each position may always attend to itself, so a padding position's row
    /// is never empty (its output is masked out afterwards).
    /// </summary>
    public static Tensor CausalOverRealEvents(Tensor items)
    {
        using var scope = NewDisposeScope();
        var length = items.shape[1];
        var causal = ones(length, length, ScalarType.Bool, items.device).tril();
        var realKeys = items.NeScalar(0).unsqueeze(1).unsqueeze(1);           // [batch, 1, 1, length]
        var self = eye(length, length, ScalarType.Bool, items.device);
        return causal.logical_and(realKeys).logical_or(self).MoveToOuterDisposeScope();
    }
}
