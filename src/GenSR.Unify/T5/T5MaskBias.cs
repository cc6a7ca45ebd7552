using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>Additive attention masks in float32: 0 where attention is allowed, the float32 minimum where it is not (as HF does).</summary>
internal static class T5MaskBias
{
    /// <summary>[B, L] mask (1 = attend, 0 = padding; any numeric or bool dtype) → [B, 1, 1, L] additive bias.</summary>
    public static Tensor FromAttentionMask(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var allowed = attentionMask.to(ScalarType.Float32).unsqueeze(1).unsqueeze(1);
        return TensorScalarOps.ScalarMinus(1.0f, allowed).MulScalar(float.MinValue).MoveToOuterDisposeScope();
    }

    /// <summary>[1, 1, T, T] causal bias: query t may attend to keys 0..t.</summary>
    public static Tensor Causal(long length, Device device)
    {
        using var scope = NewDisposeScope();
        var future = ones(length, length, ScalarType.Bool, device).triu(1);
        return zeros(length, length, ScalarType.Float32, device).MaskedFill(future, float.MinValue).unsqueeze(0).unsqueeze(0).MoveToOuterDisposeScope();
    }
}
