using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core.Tests.Runtime;

public sealed class TensorScalarOpsTests
{
    [Fact]
    public void Floating_fill_replaces_the_masked_entries_only_and_leaves_the_input_alone()
    {
        using var scores = tensor(new float[] { 1f, 2f, 3f, 4f });
        using var mask = tensor(new[] { false, true, false, true });

        using var filled = scores.MaskedFill(mask, double.NegativeInfinity);

        Assert.Equal(new[] { 1f, float.NegativeInfinity, 3f, float.NegativeInfinity }, filled.data<float>().ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, scores.data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, filled.dtype);
    }

    [Fact]
    public void Integer_fill_keeps_the_integer_type_and_large_values_exactly()
    {
        using var ids = tensor(new long[] { 5, 6, 7 });
        using var mask = tensor(new[] { true, false, true });
        const long large = (1L << 53) + 1; // not representable as a double

        using var filled = ids.MaskedFill(mask, large);

        Assert.Equal(ScalarType.Int64, filled.dtype);
        Assert.Equal(new[] { large, 6L, large }, filled.data<long>().ToArray());
    }

    [Fact]
    public void Comparisons_arange_and_integer_products_keep_their_types_and_values()
    {
        using var ids = tensor(new long[] { 0, 3, 0, 7 });

        Assert.Equal(new[] { true, false, true, false }, ids.EqScalar(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false, true }, ids.NeScalar(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false, true }, ids.GeScalar(3).data<bool>().ToArray());
        using var scaled = ids.MulScalar(2L);
        Assert.Equal(ScalarType.Int64, scaled.dtype);
        Assert.Equal(new[] { 0L, 6L, 0L, 14L }, scaled.data<long>().ToArray());
        using var range = TensorScalarOps.Arange(3, 6, CPU);
        Assert.Equal(ScalarType.Int64, range.dtype);
        Assert.Equal(new[] { 3L, 4L, 5L }, range.data<long>().ToArray());
        using var counts = tensor(new float[] { 0f, 2f });
        Assert.Equal(new[] { 1f, 2f }, counts.ClampMinScalar(1).data<float>().ToArray());
        Assert.Equal(new[] { 0.5f, 2.5f }, counts.AddScalar(0.5).data<float>().ToArray());
        Assert.Equal(new[] { 0f, 1f }, counts.DivScalar(2).data<float>().ToArray());
        Assert.Equal(new[] { 0f, 3f }, counts.MulScalar(1.5).data<float>().ToArray());
    }

    [Fact]
    public void Integer_forms_keep_integer_tensors_integer_and_floating_forms_match_the_operators()
    {
        using var ids = tensor(new long[] { -2, 0, 5 });

        using var shifted = ids.AddScalar(1L);
        Assert.Equal(ScalarType.Int64, shifted.dtype);
        Assert.Equal(new[] { -1L, 1L, 6L }, shifted.data<long>().ToArray());
        using var floored = ids.ClampMinScalar(0L);
        Assert.Equal(ScalarType.Int64, floored.dtype);
        Assert.Equal(new[] { 0L, 0L, 5L }, floored.data<long>().ToArray());
        using var capped = ids.ClampMaxScalar(1L);
        Assert.Equal(new[] { -2L, 0L, 1L }, capped.data<long>().ToArray());
        using var quotient = ids.With(2L, static (t, s) => t.div(s, RoundingMode.floor));
        Assert.Equal(ScalarType.Int64, quotient.dtype);
        Assert.Equal(new[] { -1L, 0L, 2L }, quotient.data<long>().ToArray());

        using var x = tensor(new float[] { 0.25f, 1f, -3f });
        using var oneMinus = TensorScalarOps.ScalarMinus(1.0, x);
        using var expected = 1.0f - x;
        Assert.Equal(expected.data<float>().ToArray(), oneMinus.data<float>().ToArray());
        using var above = x.With(0.5, static (t, s) => t.gt(s));
        Assert.Equal(new[] { false, true, false }, above.data<bool>().ToArray());
    }

    [Fact]
    public void Full_fill_and_in_place_sum_give_the_values_and_types_asked_for()
    {
        using var starts = TensorScalarOps.Full([2, 3], 7L, ScalarType.Int64, CPU);
        Assert.Equal(new long[] { 2, 3 }, starts.shape);
        Assert.All(starts.data<long>().ToArray(), v => Assert.Equal(7L, v));
        using var scores = TensorScalarOps.Full([3], float.NegativeInfinity, ScalarType.Float32, CPU);
        Assert.Equal(ScalarType.Float32, scores.dtype);
        scores[0].FillInPlace(0);
        Assert.Equal(new[] { 0f, float.NegativeInfinity, float.NegativeInfinity }, scores.data<float>().ToArray());

        using var total = zeros(2);
        using var add = tensor(new float[] { 1f, 2f });
        var same = total.PlusInPlace(add);
        total.PlusInPlace(add);
        Assert.Same(total, same);
        Assert.Equal(new[] { 2f, 4f }, total.data<float>().ToArray());
        using var range = TensorScalarOps.Arange(3, CPU);
        Assert.Equal(new[] { 0L, 1L, 2L }, range.data<long>().ToArray());
    }

    [Fact]
    public void Plus_adds_two_tensors_with_broadcasting_like_the_operator()
    {
        using var a = tensor(new float[] { 1f, 2f, 3f, 4f }).reshape(2, 2);
        using var b = tensor(new float[] { 10f, 20f });
        using var sum = a.Plus(b);
        using var expected = a + b;
        Assert.Equal(expected.data<float>().ToArray(), sum.data<float>().ToArray());
        Assert.Equal(new float[] { 11f, 22f, 13f, 24f }, sum.data<float>().ToArray());
        Assert.Equal(new float[] { 1f, 2f, 3f, 4f }, a.data<float>().ToArray());
    }

    [Fact]
    public void Minus_subtracts_two_tensors_with_broadcasting_like_the_operator()
    {
        using var a = tensor(new float[] { 1f, 2f, 3f, 4f }).reshape(2, 2);
        using var b = tensor(new float[] { 10f, 20f });
        using var difference = a.Minus(b);
        using var expected = a - b;
        Assert.Equal(expected.data<float>().ToArray(), difference.data<float>().ToArray());
        Assert.Equal(new float[] { -9f, -18f, -7f, -16f }, difference.data<float>().ToArray());
        using var ints = tensor(new long[] { 5, 7 });
        using var intDifference = ints.Minus(tensor(new long[] { 1, 2 }));
        Assert.Equal(ScalarType.Int64, intDifference.dtype);
        Assert.Equal(new long[] { 4, 5 }, intDifference.data<long>().ToArray());
    }

    [Fact]
    public void Squared_equals_the_square_and_keeps_the_dtype()
    {
        using var a = tensor(new float[] { -3f, 0.5f, 2f });
        using var squared = a.Squared();
        Assert.Equal(new float[] { 9f, 0.25f, 4f }, squared.data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, squared.dtype);
    }

    [Fact]
    public void The_fill_survives_garbage_collections_running_alongside()
    {
        // The helper holds its scalar until the native call returns, so collections on another thread cannot free it.
        using var scores = rand(64, 64);
        using var mask = scores.gt(0.5);
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                using var filled = scores.MaskedFill(mask, -1.0);
                Assert.Equal(-1f, filled.min().item<float>());
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }
}
