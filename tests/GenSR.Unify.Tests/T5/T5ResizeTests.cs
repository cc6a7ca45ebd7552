using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>Growing the vocabulary for added tokens (e.g. item identifier codes), initialised as HF does.</summary>
public sealed class T5ResizeTests
{
    [Fact]
    public void Growing_a_tied_vocabulary_keeps_old_rows_and_puts_new_rows_at_the_mean()
    {
        using var checkpoint = HfParityFixture.Open("t5-gated").LoadCheckpoint();
        var model = checkpoint.Model;
        using var scope = NewDisposeScope();
        var old = model.SharedEmbedding.detach().clone();
        model.ResizeTokenEmbeddings(300, generator: new Generator(1));

        Assert.Equal(300, model.Config.VocabSize);
        Assert.Equal(new long[] { 300, 64 }, model.SharedEmbedding.shape);
        Assert.True(Identical(model.SharedEmbedding.narrow(0, 0, 256), old));
        var added = model.SharedEmbedding.narrow(0, 256, 44);
        var mean = old.mean([0L]);
        // N(mean, 1e-9 · covariance): within a few 1e-4 of the mean for unit-variance rows, but not all identical.
        Assert.True((added - mean).abs().max().item<float>() < 1e-3);
        Assert.True(added.std([0L]).mean().item<float>() > 1e-6);

        var ids = tensor(new long[] { 299, 260, 1 }, [1, 3]);
        var logits = model.forward(ids, ones_like(ids), tensor(new long[] { 0, 280 }, [1, 2]));
        Assert.Equal(new long[] { 1, 2, 300 }, logits.shape);
        using var decoder = model.CreateStepDecoder(model.EncodeTokens(ids, ones_like(ids)), ones_like(ids));
        Assert.Equal(300, decoder.VocabularySize);
    }

    [Fact]
    public void An_untied_output_projection_grows_too_and_plain_resizing_draws_fresh_rows()
    {
        var config = new T5Config { VocabSize = 64, DModel = 32, DKv = 8, NumHeads = 4, DFf = 64, NumLayers = 1, NumDecoderLayers = 1, TieWordEmbeddings = false };
        using var model = new T5ForConditionalGeneration(config, new Generator(2));
        using var scope = NewDisposeScope();
        var oldHead = model.OutputProjection!.detach().clone();
        model.ResizeTokenEmbeddings(2064, meanResizing: false, generator: new Generator(3));
        Assert.Equal(new long[] { 2064, 32 }, model.OutputProjection!.shape);
        Assert.True(Identical(model.OutputProjection.narrow(0, 0, 64), oldHead));
        Assert.InRange(model.SharedEmbedding.narrow(0, 64, 2000).std().item<float>(), 0.95f, 1.05f);
        Assert.Contains(model.named_parameters(), p => p.name == "lm_head.weight" && p.parameter.shape[0] == 2064);
        Assert.Single(model.named_parameters(), p => p.name == "shared.weight");
    }

    [Fact]
    public void Shrinking_below_the_special_tokens_is_refused()
    {
        using var model = new T5ForConditionalGeneration(new T5Config { VocabSize = 20, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, NumLayers = 1, NumDecoderLayers = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ResizeTokenEmbeddings(1));
    }

    private static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
