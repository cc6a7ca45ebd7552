using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>bf16: autocast-equivalent compute over float32 master weights, and whole-model bf16 for inference.</summary>
public sealed class T5PrecisionTests
{
    private static Tensor Logits(T5ForConditionalGeneration model, HfParityFixture fixture)
    {
        using var noGrad = no_grad();
        var mask = HfParityFixture.ToTensor(fixture.AttentionMask);
        var encoded = model.EncodeTokens(HfParityFixture.ToTensor(fixture.InputIds), mask);
        return model.Decode(HfParityFixture.ToTensor(fixture.DecoderInputIds), encoded, mask);
    }

    [Theory]
    [InlineData("t5-gated", T5Precision.BFloat16Autocast)]
    [InlineData("t5-relu", T5Precision.BFloat16Autocast)]
    [InlineData("t5-gated", T5Precision.BFloat16)]
    [InlineData("t5-relu", T5Precision.BFloat16)]
    public void Bf16_logits_are_close_to_float32(string name, T5Precision precision)
    {
        var fixture = HfParityFixture.Open(name);
        using var checkpoint = fixture.LoadCheckpoint();
        using var scope = NewDisposeScope();
        var reference = Logits(checkpoint.Model, fixture);
        checkpoint.Model.UsePrecision(precision);
        var logits = Logits(checkpoint.Model, fixture);

        Assert.Equal(ScalarType.Float32, logits.dtype);
        var scale = reference.abs().max().item<float>();
        var maxDiff = (logits - reference).abs().max().item<float>();
        // bfloat16 keeps 8 significant bits: a loose tolerance, but it really ran in bf16 (results differ).
        Assert.True(maxDiff < 0.03 * scale, $"max |difference| {maxDiff:g3} vs logit scale {scale:g3}");
        Assert.True(maxDiff > 1e-4, "bf16 results should differ from float32");
        var agreement = logits.argmax(-1).eq(reference.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        Assert.True(agreement >= 0.8f, $"arg-max agreement {agreement:p0}");
    }

    [Fact]
    public void Autocast_keeps_float32_master_weights_and_gradients()
    {
        var fixture = HfParityFixture.Open("t5-gated");
        using var checkpoint = fixture.LoadCheckpoint();
        var model = checkpoint.Model;
        model.UsePrecision(T5Precision.BFloat16Autocast);
        model.train();
        using var scope = NewDisposeScope();
        var labels = HfParityFixture.ToTensor(fixture.DecoderInputIds);
        var mask = HfParityFixture.ToTensor(fixture.AttentionMask);
        var logits = model.forward(HfParityFixture.ToTensor(fixture.InputIds), mask, model.ShiftRight(labels));
        var loss = T5ForConditionalGeneration.ComputeLoss(logits, labels);
        loss.backward();
        Assert.Equal(ScalarType.Float32, loss.dtype);
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.True(p.grad is { } g && g.dtype == ScalarType.Float32 && g.isfinite().all().item<bool>(), $"gradient of {name}");
        }
    }

    [Fact]
    public void Whole_model_bf16_converts_every_weight_and_decodes_incrementally()
    {
        var fixture = HfParityFixture.Open("t5-relu");
        using var checkpoint = fixture.LoadCheckpoint();
        var model = checkpoint.Model;
        model.UsePrecision(T5Precision.BFloat16);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        // The modules' own references follow the conversion (not only the registered parameters).
        Assert.Equal(ScalarType.BFloat16, model.EncoderStack.Blocks[0].SelfAttention.Attention.Query.Weight.dtype);
        Assert.Equal(ScalarType.BFloat16, model.SharedEmbedding.dtype);

        using var scope = NewDisposeScope();
        var generated = model.GenerateGreedy(HfParityFixture.ToTensor(fixture.InputIds), HfParityFixture.ToTensor(fixture.AttentionMask), 3);
        Assert.Equal(new long[] { 3, 4 }, generated.shape);

        model.UsePrecision(T5Precision.Float32);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(T5Precision.Float32, model.Precision);
    }
}
