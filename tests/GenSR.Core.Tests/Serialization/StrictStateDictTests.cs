using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core.Tests.Serialization;

public sealed class StrictStateDictTests
{
    [Fact]
    public void Every_problem_is_listed_at_once_and_nothing_is_copied()
    {
        using var scope = NewDisposeScope();
        var weight = zeros(2, 3);
        var ids = zeros([4], ScalarType.Int64);
        var expected = new Dictionary<string, Tensor> { ["w"] = weight, ["ids"] = ids, ["b"] = zeros(3) };
        var offered = new Dictionary<string, Tensor>
        {
            ["w"] = ones(3, 2),                       // wrong shape
            ["ids"] = ones([4], ScalarType.Int32),    // integer target needs its exact dtype
            ["extra"] = ones(1),                      // unexpected
        };                                            // "b" missing

        var e = Assert.Throws<WeightsMismatchException>(() => StrictStateDict.Load(expected, offered, "file.safetensors", "the test model", floatOnly: false));
        Assert.Equal(
            [
                "\"ids\" has dtype I32, expected I64",
                "\"w\" has shape [3, 2], expected [2, 3]",
                "missing \"b\" (expected F32[3])",
                "unexpected \"extra\" F32[1]",
            ],
            e.Problems);
        Assert.StartsWith("file.safetensors: the weights do not fit the test model; 4 problem(s)", e.Message);
        Assert.Equal(0, weight.abs().sum().item<float>());
    }

    [Fact]
    public void Floating_point_weights_of_any_precision_are_converted_and_copied()
    {
        using var scope = NewDisposeScope();
        var weight = zeros(2, 2);
        var expected = new Dictionary<string, Tensor> { ["w"] = weight };
        StrictStateDict.Load(expected, new Dictionary<string, Tensor> { ["w"] = ones([2, 2], ScalarType.BFloat16) }, "x", "m", floatOnly: true);
        Assert.Equal(4, weight.sum().item<float>());
        Assert.Equal(ScalarType.Float32, weight.dtype);

        var e = Assert.Throws<WeightsMismatchException>(() =>
            StrictStateDict.Load(expected, new Dictionary<string, Tensor> { ["w"] = ones([2, 2], ScalarType.Int64) }, "x", "m", floatOnly: true));
        Assert.Equal(["\"w\" has dtype I64, expected a floating-point dtype (F32, BF16, F16 or F64)"], e.Problems);
    }

    [Fact]
    public void A_name_offered_twice_under_different_file_names_is_a_problem()
    {
        using var scope = NewDisposeScope();
        var expected = new Dictionary<string, Tensor> { ["w"] = zeros(2) };
        var problems = StrictStateDict.Problems(expected,
            [new StrictStateDict.Offered("w", [2], "F32", "bert.w"), new StrictStateDict.Offered("w", [2], "F32", "w")], floatOnly: true);
        Assert.Equal(["\"w\" appears twice, as \"bert.w\" and \"w\""], problems);
    }
}
