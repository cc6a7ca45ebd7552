using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Semantic;

/// <summary>Parity with HF transformers on the bert-tiny fixture: same token ids, hidden states and pooled vectors within 1e-4.</summary>
public sealed class BertSentenceEncoderParityTests
{
    private const float Tolerance = 1e-4f;
    private static readonly BertFixture Expected = BertFixture.Load();

    private static BertSentenceEncoder Create(bool normalize = false) =>
        BertSentenceEncoder.Load(BertFixture.Directory, new BertSentenceEncoderOptions { Device = TorchSharp.torch.CPU, Normalize = normalize });

    [Fact]
    public void Token_ids_and_attention_mask_are_those_of_the_HF_tokenizer()
    {
        using var encoder = Create();
        using var batch = encoder.Tokenize(Expected.Texts);
        var ids = batch.InputIds.data<long>().ToArray();
        var mask = batch.AttentionMask.data<long>().ToArray();
        Assert.Equal(new long[] { Expected.Texts.Length, Expected.InputIds[0].Length }, batch.InputIds.shape);
        Assert.Equal(Expected.InputIds.SelectMany(r => r), ids);
        Assert.Equal(Expected.AttentionMask.SelectMany(r => r), mask);
    }

    [Fact]
    public void Word_pieces_are_those_of_the_HF_tokenizer()
    {
        using var encoder = Create();
        for (var i = 0; i < Expected.Texts.Length; i++)
        {
            var pieces = encoder.TokenizeToIds(Expected.Texts[i]).Select(id => encoder.Tokenizer.Decode([id], skipSpecialTokens: false)).ToArray();
            Assert.Equal(Expected.Tokens[i].Select(t => t.Replace("##", "")), pieces);
        }
    }

    [Fact]
    public void Last_hidden_state_matches_HF_within_1e_4()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        using var batch = encoder.Tokenize(Expected.Texts);
        using var noGrad = no_grad();
        var hidden = encoder.Model.forward(batch.InputIds, batch.AttentionMask);
        var expected = tensor(Expected.LastHiddenState.SelectMany(s => s.SelectMany(t => t)).ToArray(), hidden.shape);
        var worst = (hidden - expected).abs().max().ToSingle();
        Assert.True(worst < Tolerance, $"max |difference| = {worst}");
    }

    [Fact]
    public void Mean_pooled_vectors_match_HF_within_1e_4()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var pooled = encoder.Encode(Expected.Texts);
        Assert.Equal(new long[] { Expected.Texts.Length, 32 }, pooled.shape);
        var expected = tensor(Expected.MeanPooled.SelectMany(r => r).ToArray(), pooled.shape);
        var worst = (pooled - expected).abs().max().ToSingle();
        Assert.True(worst < Tolerance, $"max |difference| = {worst}");
    }

    [Fact]
    public void Normalised_vectors_are_the_unit_length_HF_vectors()
    {
        using var encoder = Create(normalize: true);
        using var scope = NewDisposeScope();
        var pooled = encoder.Encode(Expected.Texts);
        var expected = nn.functional.normalize(tensor(Expected.MeanPooled.SelectMany(r => r).ToArray(), pooled.shape), p: 2, dim: 1);
        Assert.True((pooled.norm(1) - 1).abs().max().ToSingle() < 1e-5f);
        Assert.True((pooled - expected).abs().max().ToSingle() < Tolerance);
    }
}
