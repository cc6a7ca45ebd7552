using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation.Tests.Semantic;

/// <summary>Repeated encoding leaves no native tensor behind besides the outputs the caller disposes.</summary>
public sealed class NativeLeakTests
{
    private static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Bert_encoding_does_not_leak_tensors()
    {
        using var encoder = BertSentenceEncoder.Load(BertFixture.Directory, new BertSentenceEncoderOptions { Device = TorchSharp.torch.CPU, BatchSize = 2 });
        string[] texts = ["guitar strings", "wood screws 500 pack", "coffee"];
        encoder.Encode(texts).Dispose();
        var before = Live();
        for (var i = 0; i < 3; i++)
        {
            using var vectors = encoder.Encode(texts);
        }
        Assert.Equal(before, Live());
    }

    [Fact]
    public void Lsa_encoding_does_not_leak_tensors()
    {
        var (corpus, _) = TopicCorpus.Generate(5, seed: 1);
        using var encoder = LsaTextEncoder.Fit(corpus, new LsaTextEncoderOptions { Dimension = 4, Device = TorchSharp.torch.CPU, BatchSize = 7 });
        encoder.Encode(corpus).Dispose();
        var before = Live();
        for (var i = 0; i < 3; i++)
        {
            using var vectors = encoder.Encode(corpus);
        }
        Assert.Equal(before, Live());
    }
}
