using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>
/// Tensor operations with a scalar argument whose native scalar stays alive for the whole native call.
/// </summary>
/// <remarks>
/// TorchSharp turns a .NET number into a <see cref="Scalar"/>, a finalizable wrapper of a native object, and passes only
/// its handle to libtorch. Once the handle is read, nothing keeps the wrapper reachable: a garbage collection during
/// the native call can finalize it and free the native scalar while libtorch still reads it. It is rare, and shows as a
/// crash or as "Expected false to be true" from <c>c10::Scalar::toFloat</c>. Holding the scalar in a <c>using</c>
/// variable until the call returns prevents it. The library's code goes through these helpers, and the repository's
/// analyzer (GENSR001, GENSR002) fails the build on an implicit number-to-scalar conversion or a TorchSharp member known
/// to pass a temporary scalar. Constants used on every call (the alpha of a sum or difference) are cached: a scalar held
/// by a static field is never finalized.
/// </remarks>
internal static class TensorScalarOps
{
    // Cached constants: reachable for the life of the process, so never freed during a native call.
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary>
    /// Runs <paramref name="op"/> with <paramref name="value"/> as a scalar held (and disposed) until it returns: the
    /// general form of the helpers below, for any TorchSharp member that takes a <see cref="Scalar"/>.
    /// </summary>
    /// <param name="tensor">The tensor passed to <paramref name="op"/>.</param>
    /// <param name="value">The number (a floating scalar).</param>
    /// <param name="op">The call; pass a static lambda so that the hot path allocates no closure.</param>
    /// <returns>What <paramref name="op"/> returns.</returns>
    public static Tensor With(this Tensor tensor, double value, Func<Tensor, Scalar, Tensor> op)
        => Apply(tensor, value.ToScalar(), op);

    /// <summary>The integer form of <see cref="With(Tensor, double, Func{Tensor, Scalar, Tensor})"/> (keeps integer tensors integer).</summary>
    /// <param name="tensor">The tensor passed to <paramref name="op"/>.</param>
    /// <param name="value">The number (an integer scalar).</param>
    /// <param name="op">The call.</param>
    /// <returns>What <paramref name="op"/> returns.</returns>
    public static Tensor With(this Tensor tensor, long value, Func<Tensor, Scalar, Tensor> op)
        => Apply(tensor, value.ToScalar(), op);

    /// <summary><c>torch.full(size, value)</c> with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="size">The shape.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="dtype">Element type.</param>
    /// <param name="device">Where the result goes.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Full(long[] size, double value, ScalarType dtype, Device device)
    {
        using var fill = value.ToScalar();
        return full(size, fill, dtype, device);
    }

    /// <summary><c>torch.full(size, value)</c> for integer values, kept alive during the call.</summary>
    /// <param name="size">The shape.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="dtype">Element type.</param>
    /// <param name="device">Where the result goes.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Full(long[] size, long value, ScalarType dtype, Device device)
    {
        using var fill = value.ToScalar();
        return full(size, fill, dtype, device);
    }

    /// <summary><c>tensor.fill_(value)</c> (in place) with <paramref name="value"/> kept alive during the call.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="value">The fill value.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor FillInPlace(this Tensor tensor, double value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.fill_(s));

    /// <summary><c>left += right</c> in place, with the alpha of <c>add_</c> held (see <see cref="Plus"/>).</summary>
    /// <param name="left">The tensor added to (modified).</param>
    /// <param name="right">The tensor added, broadcastable to <paramref name="left"/>.</param>
    /// <returns><paramref name="left"/>.</returns>
    public static Tensor PlusInPlace(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add_(right, One);
    }

    /// <summary><c>value - tensor</c>, as TorchSharp computes it (negation, then the sum) with both scalars held.</summary>
    /// <param name="value">The number.</param>
    /// <param name="tensor">The tensor subtracted (not modified).</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ScalarMinus(double value, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var negated = tensor.negative();
        using var number = value.ToScalar();
        return negated.add(number, One);
    }

    /// <summary><c>tensor + value</c> for integer values (keeps an integer tensor integer), kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The addend.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor AddScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.add(s, One));

    /// <summary><c>torch.arange(stop)</c> as int64 with the bound kept alive during the call.</summary>
    /// <param name="stop">One past the last value.</param>
    /// <param name="device">Where the result goes.</param>
    /// <returns><c>[stop]</c> int64.</returns>
    public static Tensor Arange(long stop, Device device) => Arange(0, stop, device);

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
        => Apply(tensor, value.ToScalar(), static (t, s) => t.add(s, One));

    /// <summary>
    /// <c>left + right</c> for two tensors. TorchSharp's <c>+</c> operator passes a freshly converted scalar 1 as the
    /// <c>alpha</c> of <c>add</c>, which nothing keeps alive during the call; here alpha is held until the call returns.
    /// </summary>
    /// <param name="left">The first tensor (not modified).</param>
    /// <param name="right">The tensor added, broadcastable to <paramref name="left"/>.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Plus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, One);
    }

    /// <summary><c>left - right</c> for two tensors, as <c>add</c> with alpha −1 held until the call returns (see <see cref="Plus"/>).</summary>
    /// <param name="left">The first tensor (not modified).</param>
    /// <param name="right">The tensor subtracted, broadcastable to <paramref name="left"/>.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Minus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, MinusOne);
    }

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

    /// <summary><c>tensor.clamp_min(value)</c> for integer bounds (keeps an integer tensor integer), kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The lower bound.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ClampMinScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.clamp_min(s));

    /// <summary><c>tensor.clamp_max(value)</c> for integer bounds, kept alive during the call.</summary>
    /// <param name="tensor">The tensor (not modified).</param>
    /// <param name="value">The upper bound.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ClampMaxScalar(this Tensor tensor, long value)
        => Apply(tensor, value.ToScalar(), static (t, s) => t.clamp_max(s));

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

    /// <summary><c>tensor * value</c> for integer factors (keeps an integer tensor integer), with <paramref name="value"/> kept
    /// alive during the call.</summary>
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
