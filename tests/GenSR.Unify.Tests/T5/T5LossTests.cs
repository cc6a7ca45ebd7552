using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>Teacher-forcing inputs and the token cross-entropy.</summary>
public sealed class T5LossTests
{
    private static T5ForConditionalGeneration TinyModel() => new(new T5Config
    {
        VocabSize = 12, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, NumLayers = 1, NumDecoderLayers = 1, DropoutRate = 0,
        DecoderStartTokenId = 0, PadTokenId = 0,
    }, new Generator(1));

    [Fact]
    public void Shift_right_prepends_the_start_token_and_turns_ignored_labels_into_padding()
    {
        using var model = TinyModel();
        using var labels = tensor(new long[] { 5, 6, 7, 1, 4, -100, 9, -100 }, [2, 4]);
        using var shifted = model.ShiftRight(labels);
        Assert.Equal(new long[] { 0, 5, 6, 7, 0, 4, 0, 9 }, shifted.data<long>().ToArray());
    }

    [Fact]
    public void The_loss_is_the_mean_cross_entropy_over_labels_that_are_not_ignored()
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 3, 12, generator: new Generator(5));
        var labels = tensor(new long[] { 3, -100, 1, 7, 2, -100 }, [2, 3]);
        var loss = T5ForConditionalGeneration.ComputeLoss(logits, labels).item<float>();
        var logProbs = logits.log_softmax(-1);
        var kept = new[] { (0, 0, 3), (0, 2, 1), (1, 0, 7), (1, 1, 2) };
        var expected = -kept.Average(k => logProbs[k.Item1, k.Item2, k.Item3].item<float>());
        Assert.Equal(expected, loss, 5);
        Assert.Throws<ArgumentException>(() => T5ForConditionalGeneration.ComputeLoss(logits, labels.narrow(1, 0, 2)));
    }

    [Fact]
    public void Random_initialisation_follows_the_HF_scheme()
    {
        var config = new T5Config { VocabSize = 512, DModel = 128, DKv = 32, NumHeads = 4, DFf = 256, NumLayers = 1, NumDecoderLayers = 1, TieWordEmbeddings = false };
        using var model = new T5ForConditionalGeneration(config, new Generator(3));
        var p = model.state_dict();
        void Std(string name, double expected) => Assert.InRange(p[name].std().item<float>(), 0.9 * expected, 1.1 * expected);
        Std("shared.weight", 1.0);
        Std("lm_head.weight", 1.0);
        Std("encoder.block.0.layer.0.SelfAttention.q.weight", Math.Pow(128 * 32, -0.5));
        Std("encoder.block.0.layer.0.SelfAttention.k.weight", Math.Pow(128, -0.5));
        Std("decoder.block.0.layer.1.EncDecAttention.o.weight", Math.Pow(4 * 32, -0.5));
        Std("encoder.block.0.layer.1.DenseReluDense.wi.weight", Math.Pow(128, -0.5));
        Std("decoder.block.0.layer.2.DenseReluDense.wo.weight", Math.Pow(256, -0.5));
        Assert.Equal(1f, p["decoder.final_layer_norm.weight"].min().item<float>());
        Assert.Equal(1f, p["encoder.block.0.layer.0.layer_norm.weight"].max().item<float>());
    }

    [Fact]
    public void Inputs_of_the_wrong_shape_get_errors_naming_the_argument()
    {
        using var model = TinyModel();
        using var ids = ones(2, 5, ScalarType.Int64);
        using var mask = ones(2, 4, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => model.EncodeTokens(ids, mask));
        Assert.Equal("attentionMask", e.ParamName);
        using var embeddings = zeros(2, 5, 8);
        Assert.Throws<ArgumentException>(() => model.Encode(embeddings, ones(2, 5)));
    }
}
