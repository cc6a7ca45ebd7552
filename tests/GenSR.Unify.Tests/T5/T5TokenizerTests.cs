using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>T5's SentencePiece tokenization through Microsoft.ML.Tokenizers equals HF's (ids, pieces, padding).</summary>
public sealed class T5TokenizerTests
{
    [Theory]
    [MemberData(nameof(HfParityFixture.Names), MemberType = typeof(HfParityFixture))]
    public void Ids_and_pieces_equal_HF(string name)
    {
        var fixture = HfParityFixture.Open(name);
        var tokenizer = T5Tokenizer.Load(Path.Combine(fixture.Folder, "spiece.model"));
        var texts = fixture.Texts;
        for (var i = 0; i < texts.Length; i++)
        {
            var expectedIds = fixture.InputIds[i].Zip(fixture.AttentionMask[i]).Where(p => p.Second == 1).Select(p => (int)p.First);
            Assert.Equal(expectedIds, tokenizer.Encode(texts[i]));
            Assert.Equal(fixture.Tokens[i], tokenizer.Tokenize(texts[i]));
        }
        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(1, tokenizer.EosId);
        Assert.Equal(2, tokenizer.UnknownId);
        Assert.Equal(200, tokenizer.PieceCount);
    }

    [Fact]
    public void A_batch_is_right_padded_to_the_longest_text_as_HF_does()
    {
        var fixture = HfParityFixture.Open("t5-gated");
        var tokenizer = T5Tokenizer.Load(Path.Combine(fixture.Folder, "spiece.model"));
        var (ids, mask) = tokenizer.EncodeBatch(fixture.Texts);
        using (ids)
        using (mask)
        {
            Assert.Equal(fixture.InputIds.SelectMany(r => r), ids.data<long>().ToArray());
            Assert.Equal(fixture.AttentionMask.SelectMany(r => r), mask.data<long>().ToArray());
        }
    }

    [Fact]
    public void Truncation_keeps_the_end_of_sequence_token()
    {
        var tokenizer = T5Tokenizer.Load(Path.Combine(HfParityFixture.Open("t5-relu").Folder, "spiece.model"));
        var (ids, mask) = tokenizer.EncodeBatch(["Fender light guitar strings 10 pack", "wood"], maxLength: 4);
        using (ids)
        using (mask)
        {
            Assert.Equal(new long[] { 11, 16, 25, 1 }, ids[0].data<long>().ToArray());
            Assert.Equal(new long[] { 1, 1, 0, 0 }, mask[1].data<long>().ToArray());
        }
    }

    [Fact]
    public void Decoding_restores_the_text_and_skips_special_tokens()
    {
        var tokenizer = T5Tokenizer.Load(Path.Combine(HfParityFixture.Open("t5-gated").Folder, "spiece.model"));
        var ids = tokenizer.Encode("Fender light guitar strings 10 pack");
        Assert.Equal("Fender light guitar strings 10 pack", tokenizer.Decode(ids.Append(0).Append(0)));
    }

    [Fact]
    public void Malformed_or_missing_models_get_clear_errors()
    {
        var missing = Path.Combine(Path.GetTempPath(), "gensr-no-such-spiece.model");
        var e = Assert.Throws<FileNotFoundException>(() => T5Tokenizer.Load(missing));
        Assert.Contains(missing, e.Message);
        var bad = Assert.Throws<InvalidDataException>(() => T5Tokenizer.Load(new MemoryStream([0x0A, 0xFF, 0xFF, 0xFF, 0x0F]), "broken.model"));
        Assert.Contains("broken.model", bad.Message);
    }
}
