
namespace GenSR.Unify.Tests.T5;

/// <summary>T5Config reads and writes HF config.json and rejects bad values with messages that name the keys.</summary>
public sealed class T5ConfigTests
{
    [Fact]
    public void The_fixture_configs_are_read_with_the_details_a_loader_must_honour()
    {
        var gated = T5Config.Load(Path.Combine(HfParityFixture.Open("t5-gated").Folder, "config.json"));
        Assert.Equal((256, 64, 16, 128, 2, 2, 4), (gated.VocabSize, gated.DModel, gated.DKv, gated.DFf, gated.NumLayers, gated.NumDecoderLayers, gated.NumHeads));
        Assert.Equal("gated-gelu", gated.FeedForwardProj);
        Assert.True(gated.IsGatedFeedForward);
        Assert.True(gated.TieWordEmbeddings);
        Assert.False(gated.ScalesDecoderOutputs);
        Assert.Equal(1e-6, gated.LayerNormEpsilon);
        Assert.Equal((32, 128), (gated.RelativeAttentionNumBuckets, gated.RelativeAttentionMaxDistance));

        var relu = T5Config.Load(Path.Combine(HfParityFixture.Open("t5-relu").Folder, "config.json"));
        Assert.Equal("relu", relu.FeedForwardProj);
        Assert.False(relu.IsGatedFeedForward);
        Assert.True(relu.ScalesDecoderOutputs);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Without_scale_decoder_outputs_the_scaling_follows_tie_word_embeddings(bool tie, bool scales)
    {
        var config = T5Config.FromJson($$"""{"vocab_size": 100, "d_model": 16, "d_kv": 4, "num_heads": 4, "d_ff": 32, "num_layers": 3, "tie_word_embeddings": {{(tie ? "true" : "false")}}, "some_future_key": [1, 2]}""");
        Assert.Null(config.ScaleDecoderOutputs);
        Assert.Equal(scales, config.ScalesDecoderOutputs);
        Assert.Equal(3, config.NumDecoderLayers); // absent num_decoder_layers follows num_layers
    }

    [Fact]
    public void Every_invalid_key_is_named_in_one_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => T5Config.FromJson(
            """{"vocab_size": 100, "d_model": 0, "feed_forward_proj": "swish", "dropout_rate": 1.5, "eos_token_id": 100}""", "my/config.json"));
        foreach (var expected in new[] { "my/config.json", "d_model = 0", "feed_forward_proj = \"swish\"", "dropout_rate = 1.5", "eos_token_id = 100" })
            Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_key_of_the_wrong_type_is_named()
    {
        var e = Assert.Throws<InvalidDataException>(() => T5Config.FromJson("""{"d_model": "wide"}""", "c.json"));
        Assert.Contains("\"d_model\" must be an integer", e.Message);
        Assert.Throws<InvalidDataException>(() => T5Config.FromJson("[1, 2]"));
        Assert.Throws<InvalidDataException>(() => T5Config.FromJson("{not json"));
    }

    [Fact]
    public void Json_round_trips_and_carries_the_keys_HF_reads()
    {
        var config = new T5Config { VocabSize = 300, DModel = 48, DKv = 12, NumHeads = 4, DFf = 96, NumLayers = 2, NumDecoderLayers = 3, FeedForwardProj = "gated-gelu", TieWordEmbeddings = false, ScaleDecoderOutputs = false, DropoutRate = 0.05 };
        var json = config.ToJson();
        Assert.Equal(config, T5Config.FromJson(json));
        Assert.Contains("\"dense_act_fn\": \"gelu_new\"", json);
        Assert.Contains("\"is_gated_act\": true", json);
        Assert.Contains("\"model_type\": \"t5\"", json);
    }

    [Fact]
    public void Eos_given_as_a_list_uses_its_first_id()
    {
        Assert.Equal(1, T5Config.FromJson("""{"vocab_size": 10, "eos_token_id": [1, 5]}""").EosTokenId);
    }

    [Fact]
    public void The_small_factory_builds_the_anchor_model_of_the_design()
    {
        // The anchor model: d_model 256, d_ff 1024, 8 heads, 4+4 layers, 8.7M parameters at 4096 + 4·256 + 3 tokens.
        var config = T5Config.Small(4096 + 4 * 256 + 3);
        Assert.Equal((256, 1024, 8, 32, 4, 4), (config.DModel, config.DFf, config.NumHeads, config.DKv, config.NumLayers, config.NumDecoderLayers));
        using var model = new T5ForConditionalGeneration(config);
        var parameters = model.parameters().Sum(p => p.numel());
        Assert.InRange(parameters, 8_600_000, 8_750_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => T5Config.Small(100, dModel: 40));
    }

    [Fact]
    public void Gated_relu_builds_a_gated_network()
    {
        using var model = new T5ForConditionalGeneration(new T5Config { VocabSize = 20, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, NumLayers = 1, NumDecoderLayers = 1, FeedForwardProj = "gated-relu" });
        var names = model.state_dict().Keys.ToList();
        Assert.Contains("encoder.block.0.layer.1.DenseReluDense.wi_0.weight", names);
        Assert.Contains("decoder.block.0.layer.2.DenseReluDense.wi_1.weight", names);
        Assert.DoesNotContain("encoder.block.0.layer.1.DenseReluDense.wi.weight", names);
    }
}
