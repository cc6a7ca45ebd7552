using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core.Runtime;

/// <summary>
/// Tensor operations with a scalar argument whose native scalar stays alive for the whole native call.
/// </summary>
/// <remarks>
/// TorchSharp turns a .NET number into a <see cref="Scalar"/>, a finalizable wrapper of a native object, and passes only
/// its handle to libtorch. Once the handle is read, nothing keeps the wrapper reachable: a garbage collection during
/// the native call can finalize it and free the native scalar while libtorch still reads it. It is rare, and shows as a
/// crash or as "Expected false to be true" from <c>c10::Scalar::toFloat</c>. Holding the scalar in a <c>using</c>
/// variable until the call returns prevents it. The hot paths (attention masks, trie-constrained decoding) go through
/// these helpers.
/// </remarks>
public static class TensorScalarOps
{
    /// <summary><c>tensor.masked_fill(mask, value)</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor to fill (not modified).</param>
    /// <param name="mask">Boolean mask, broadcastable to <paramref name="tensor"/>; true = fill.</param>
    /// <param name="value">The fill value (e.g. −∞ or the lowest finite value of a floating tensor).</param>
    /// <returns>A new tensor.</returns>
    public static Tensor MaskedFill(this Tensor tensor, Tensor mask, double value)
        => Apply(tensor, mask, value.ToScalar(), static (t, m, s) => t.masked_fill(m, s));

    /// <summary><c>tensor.masked_fill(mask, value)</c> for integer values (ids, node numbers), kept alive during the call.</summary>
    /// <param name="tensor">The tensor to fill (not modified).</param>
    /// <param name="mask">Boolean mask, broadcastable to <paramref name="tensor"/>; true = fill.</param>
    /// <param name="value">The fill value.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor MaskedFill(this Tensor tensor, Tensor mask, long value)
        => Apply(tensor, mask, value.ToScalar(), static (t, m, s) => t.masked_fill(m, s));

    /// <summary><c>tensor * value</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The factor.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor MulScalar(this Tensor tensor, double value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.mul(s));

    /// <summary><c>tensor / value</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The divisor.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor DivScalar(this Tensor tensor, double value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.div(s));

    /// <summary><c>tensor + value</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The addend.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor AddScalar(this Tensor tensor, double value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.add(s));

    /// <summary>
    /// <c>left + right</c> for two tensors. TorchSharp's <c>+</c> operator passes a freshly converted scalar 1 as the
    /// <c>alpha</c> of <c>add</c>, which nothing keeps alive during the call; here alpha is held until the call returns.
    /// </summary>
    /// <param name="left">The first tensor (not modified).</param>
    /// <param name="right">The tensor added, broadcastable to <paramref name="left"/>.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Plus(this Tensor left, Tensor right)
        => Apply(left, right, 1.ToScalar(), static (l, r, s) => l.add(r, s));

    /// <summary><c>left - right</c> for two tensors, as <c>add</c> with alpha −1 held until the call returns (see <see cref="Plus"/>).</summary>
    /// <param name="left">The first tensor (not modified).</param>
    /// <param name="right">The tensor subtracted, broadcastable to <paramref name="left"/>.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Minus(this Tensor left, Tensor right)
        => Apply(left, right, (-1).ToScalar(), static (l, r, s) => l.add(r, s));

    /// <summary>
    /// The element-wise square as <c>tensor * tensor</c>. TorchSharp's <c>square()</c> calls <c>pow</c> with a freshly
    /// converted scalar 2 that nothing keeps alive during the call ("Unknown scalar type" from <c>c10::Scalar</c> when
    /// it is finalized); a product of two tensors passes no scalar at all.
    /// </summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Squared(this Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.mul(tensor);
    }

    /// <summary><c>tensor == value</c> (element-wise, boolean) with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>A boolean tensor.</returns>
    public static Tensor EqScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.eq(s));

    /// <summary><c>tensor != value</c> (element-wise, boolean) with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>A boolean tensor.</returns>
    public static Tensor NeScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.ne(s));

    /// <summary><c>tensor.clamp_min(value)</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The lower bound.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ClampMinScalar(this Tensor tensor, double value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.clamp_min(s));

    /// <summary><c>torch.arange(start, stop)</c> as int64 with both bounds kept alive during the call.</summary>
    /// <param name="start">First value.</param>
    /// <param name="stop">One past the last value.</param>
    /// <param name="device">Where the result goes.</param>
    /// <returns><c>[stop - start]</c> int64.</returns>
    public static Tensor Arange(long start, long stop, Device device)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        return arange(first, end, ScalarType.Int64, device);
    }

    /// <summary><c>tensor &gt;= value</c> (element-wise, boolean) with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>A boolean tensor.</returns>
    public static Tensor GeScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.ge(s));

    /// <summary><c>tensor * value</c> for integer factors (keeps an integer tensor integer), with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The factor.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor MulScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.mul(s));

    // Runs op with the scalar held (and disposed) until op returns, so the native call cannot outlive it.
    private static Tensor Apply(Tensor tensor, Scalar scalar, Func<Tensor, Scalar, Tensor> op)
    {
        using (scalar)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            return op(tensor, scalar);
        }
    }

    // The same with one more tensor argument (e.g. a mask), without a capturing closure on the hot path.
    private static Tensor Apply(Tensor tensor, Tensor other, Scalar scalar, Func<Tensor, Tensor, Scalar, Tensor> op)
    {
        using (scalar)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            return op(tensor, other, scalar);
        }
    }
}
