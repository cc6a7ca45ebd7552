using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// T5's relative position buckets (Raffel et al., 2020, "Exploring the Limits of Transfer Learning with a Unified
/// Text-to-Text Transformer", §2.1): half of the buckets hold exact small distances, the other half logarithmically
/// wider ranges up to <c>max_distance</c>; bidirectional attention (the encoder) spends half the buckets on each
/// direction, causal attention (the decoder) only looks back. Computed with tensor ops in float32 exactly as the
/// reference implementation does, so bucket boundaries agree bit for bit.
/// </summary>
internal static class T5RelativePosition
{
    /// <summary>Maps relative positions (<c>key_position − query_position</c>, int64, any shape) to bucket ids in [0, numBuckets).</summary>
    public static Tensor Bucket(Tensor relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        using var scope = NewDisposeScope();
        Tensor buckets;
        Tensor distance;
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = relativePosition.With(0L, static (t, s) => t.gt(s)).to(ScalarType.Int64).MulScalar((long)numBuckets);
            distance = relativePosition.abs();
        }
        else
        {
            buckets = zeros_like(relativePosition);
            distance = -relativePosition.ClampMaxScalar(0L);
        }
        var maxExact = numBuckets / 2;
        var isSmall = distance.With((long)maxExact, static (t, s) => t.lt(s));
        var large = distance.to(ScalarType.Float32).DivScalar(maxExact).log()
            .DivScalar(Math.Log((double)maxDistance / maxExact))
            .MulScalar((long)(numBuckets - maxExact))
            .to(ScalarType.Int64).AddScalar((long)maxExact);
        large = large.ClampMaxScalar(numBuckets - 1);
        return buckets.Plus(where(isSmall, distance, large)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bucket ids [queryLength, keyLength] for queries at positions <c>queryOffset .. queryOffset + queryLength − 1</c>
    /// attending to keys at positions <c>0 .. keyLength − 1</c>.
    /// </summary>
    public static Tensor Buckets(long queryLength, long keyLength, long queryOffset, bool bidirectional, int numBuckets, int maxDistance, Device device)
    {
        using var scope = NewDisposeScope();
        var context = TensorScalarOps.Arange(queryOffset, queryOffset + queryLength, device).unsqueeze(1);
        var memory = TensorScalarOps.Arange(0, keyLength, device).unsqueeze(0);
        return Bucket(memory.Minus(context), bidirectional, numBuckets, maxDistance).MoveToOuterDisposeScope();
    }
}
