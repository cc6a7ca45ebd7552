using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>
/// The TorchSharp T5 reproduces HF transformers' T5ForConditionalGeneration (fixtures generated with transformers
/// 5.17 / PyTorch 2.11, random weights, eval mode, fp32 CPU): same parameter names, same tokens, same encoder
/// states and logits within 1e-4, same greedy generation, and KV-cached decoding equal to teacher forcing.
/// </summary>
public sealed class T5ParityTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [MemberData(nameof(HfParityFixture.Names), MemberType = typeof(HfParityFixture))]
    public void Parameter_names_and_shapes_equal_the_HF_state_dict(string name)
    {
        var fixture = HfParityFixture.Open(name);
        using var checkpoint = fixture.LoadCheckpoint();
        var (entries, _) = SafeTensorsFile.ReadHeader(Path.Combine(fixture.Folder, "model.safetensors"));
        var ours = checkpoint.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(entries.Select(e => e.Name).Order(), ours.Keys.Order());
        foreach (var e in entries) Assert.Equal(e.Shape, ours[e.Name]);
        Assert.Contains("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", ours.Keys);
        Assert.DoesNotContain("encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight", ours.Keys);
        Assert.Contains("decoder.block.1.layer.1.EncDecAttention.k.weight", ours.Keys);
        Assert.DoesNotContain("lm_head.weight", ours.Keys);
    }

    [Theory]
    [MemberData(nameof(HfParityFixture.Names), MemberType = typeof(HfParityFixture))]
    public void Encoder_states_and_logits_match_HF_within_1e4(string name)
    {
        var fixture = HfParityFixture.Open(name);
        using var checkpoint = fixture.LoadCheckpoint();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = checkpoint.Model;
        var ids = HfParityFixture.ToTensor(fixture.InputIds);
        var mask = HfParityFixture.ToTensor(fixture.AttentionMask);

        var encoded = model.EncodeTokens(ids, mask);
        var expectedEncoded = fixture.EncoderLastHiddenState();
        Assert.Equal(expectedEncoded.shape, encoded.shape);
        AssertClose(expectedEncoded, encoded, "encoder_last_hidden_state");

        var logits = model.Decode(HfParityFixture.ToTensor(fixture.DecoderInputIds), encoded, mask);
        var expectedLogits = fixture.Logits();
        Assert.Equal(expectedLogits.shape, logits.shape);
        AssertClose(expectedLogits, logits, "logits");
        // The logits are not trivially small: a tolerance of 1e-4 is a real constraint.
        Assert.True(expectedLogits.abs().max().item<float>() > 0.1f);
    }

    [Theory]
    [MemberData(nameof(HfParityFixture.Names), MemberType = typeof(HfParityFixture))]
    public void Greedy_generation_equals_HF(string name)
    {
        var fixture = HfParityFixture.Open(name);
        using var checkpoint = fixture.LoadCheckpoint();
        using var scope = NewDisposeScope();
        var generated = checkpoint.Model.GenerateGreedy(
            HfParityFixture.ToTensor(fixture.InputIds), HfParityFixture.ToTensor(fixture.AttentionMask), maxNewTokens: 6);
        var rows = Enumerable.Range(0, (int)generated.shape[0]).Select(r => generated[r].data<long>().ToArray()).ToArray();
        Assert.Equal(fixture.GreedySixTokens, rows);
    }

    [Theory]
    [MemberData(nameof(HfParityFixture.Names), MemberType = typeof(HfParityFixture))]
    public void Kv_cached_decoding_gives_the_teacher_forced_log_probabilities(string name)
    {
        var fixture = HfParityFixture.Open(name);
        using var checkpoint = fixture.LoadCheckpoint();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = checkpoint.Model;
        var mask = HfParityFixture.ToTensor(fixture.AttentionMask);
        var decoderIds = HfParityFixture.ToTensor(fixture.DecoderInputIds);
        var encoded = model.EncodeTokens(HfParityFixture.ToTensor(fixture.InputIds), mask);
        var full = model.Decode(decoderIds, encoded, mask).log_softmax(-1);

        using var stepDecoder = model.CreateStepDecoder(encoded, mask);
        stepDecoder.Start(1);
        for (var t = 0; t < decoderIds.shape[1]; t++)
        {
            using var stepLogProbs = stepDecoder.Step(decoderIds[.., t]);
            AssertClose(full[.., t], stepLogProbs, $"step {t}");
            // Cached decoding also agrees with HF's reference logits (through log-softmax).
            AssertClose(fixture.Logits()[.., t].log_softmax(-1), stepLogProbs, $"HF step {t}");
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var maxDiff = (expected - actual).abs().max().item<float>();
        Assert.True(maxDiff <= Tolerance, $"{what}: max |difference| {maxDiff:g3} exceeds {Tolerance:g1}.");
    }
}
