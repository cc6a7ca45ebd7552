using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.History;

/// <summary>Repeated forward passes leave no native tensor behind besides the outputs the caller disposes.</summary>
public sealed class NativeLeakTests
{
    private static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Collaborative_encoder_steps_do_not_leak_tensors()
    {
        using var encoder = new CollaborativeHistoryEncoder(new CollaborativeHistoryEncoderOptions { ItemDimension = 8, ModelDimension = 8 });
        using var items = randn(2, 5, 8);
        using var mask = ones(2, 5, dtype: ScalarType.Bool);
        using var tasks = zeros(2, 5, dtype: ScalarType.Int64);
        using var target = randn(2, 8);
        encoder.forward(items, mask, tasks, target).Dispose();
        var before = Live();
        for (var i = 0; i < 5; i++)
        {
            using var output = encoder.forward(items, mask, tasks, target);
            using var encoding = encoder.Encode(items, mask, tasks, target);
        }
        Assert.Equal(before, Live());
    }

    [Fact]
    public void Semantic_encoder_steps_do_not_leak_tensors()
    {
        using var embedding = nn.Embedding(20, 8);
        using var encoder = new SemanticHistoryEncoder(new SemanticHistoryEncoderOptions { TokenDimension = 8, MaxTokensPerItem = 3 }, embedding);
        using var ids = randint(0, 20, [2, 4, 3]);
        using var mask = ones(2, 4, 3, dtype: ScalarType.Bool);
        using var target = randn(2, 8);
        encoder.forward(ids, mask, null, target).Dispose();
        var before = Live();
        for (var i = 0; i < 5; i++)
        {
            using var output = encoder.forward(ids, mask, null, target);
        }
        Assert.Equal(before, Live());
    }
}
