using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace GenSR.Core.Tests.Text;

public class PretrainedTokenizerVocabularyTests
{
    [Fact]
    public void SentencePiece_ids_match_the_reference_T5_tokenizer_exactly()
    {
        var vocabulary = PretrainedTokenizerVocabulary.LoadSentencePiece(TextFixtures.SentencePieceModel);
        var expected = TextFixtures.SentencePieceExpected;
        var texts = expected["texts"]!.AsArray().Select(t => (string)t!).ToArray();
        var ids = expected["input_ids"]!.AsArray().Select(row => row!.AsArray().Select(x => (int)x!).ToArray()).ToArray();
        Assert.Equal(3, texts.Length);
        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(ids[i], vocabulary.EncodeText(texts[i]).Append(vocabulary.EosId).ToArray());
    }

    [Fact]
    public void SentencePiece_pieces_match_the_reference_tokens()
    {
        var vocabulary = PretrainedTokenizerVocabulary.LoadSentencePiece(TextFixtures.SentencePieceModel);
        var tokenizer = (SentencePieceTokenizer)vocabulary.Tokenizer;
        var expected = TextFixtures.SentencePieceExpected;
        var text = (string)expected["texts"]![0]!;
        var pieces = tokenizer.EncodeToTokens(text, out _, addBeginningOfSentence: false, addEndOfSentence: false).Select(t => t.Value).Append("</s>");
        Assert.Equal(expected["tokens"]![0]!.AsArray().Select(t => (string)t!), pieces);
    }

    [Fact]
    public void Added_tokens_follow_the_base_vocabulary()
    {
        // The fixture's 200-piece model has no single "Yes"/"No" piece, so both are added after the soft token.
        var vocabulary = PretrainedTokenizerVocabulary.LoadSentencePiece(TextFixtures.SentencePieceModel, identifierTokenCount: 10);
        Assert.Equal((0, 1, 2), (vocabulary.PadId, vocabulary.EosId, vocabulary.UnknownId));
        Assert.Equal(200, vocabulary.BaseVocabularySize);
        Assert.Equal(200, vocabulary.SoftTokenId);
        Assert.True(vocabulary.AddsYesToken && vocabulary.AddsNoToken);
        Assert.Equal((201, 202), (vocabulary.YesId, vocabulary.NoId));
        Assert.Equal(203, vocabulary.IdentifierOffset);
        Assert.Equal(213, vocabulary.Size);
        Assert.Equal("Yes", vocabulary.Decode([vocabulary.YesId]));

        // A model whose embedding has more rows than pieces (like T5's 32128 for 32100 tokens) starts added tokens after them.
        var padded = PretrainedTokenizerVocabulary.LoadSentencePiece(TextFixtures.SentencePieceModel, 10, baseVocabularySize: 256);
        Assert.Equal(256, padded.SoftTokenId);
        Assert.Equal(259, padded.IdentifierOffset);
        Assert.Equal(padded.IdentifierOffset + 5, padded.WithIdentifierTokenCount(5).Size);
        Assert.Equal(vocabulary.EncodeText("guitar strings"), padded.EncodeText("guitar strings"));
    }

    [Fact]
    public void Any_tokenizer_can_be_wrapped_and_single_token_words_are_reused()
    {
        var vocabulary = new PretrainedTokenizerVocabulary(CompactGpt2Vocabulary.Gpt2,
            new PretrainedTokenizerVocabularyOptions { BaseVocabularySize = 50_257, PadId = 50_256, EosId = 50_256, UnknownId = 50_256 });
        Assert.False(vocabulary.AddsYesToken || vocabulary.AddsNoToken);
        Assert.Equal(new[] { vocabulary.YesId }, vocabulary.EncodeText("Yes"));
        Assert.Equal(50_258, vocabulary.IdentifierOffset);
        Assert.Equal("guitar strings", vocabulary.Decode(vocabulary.EncodeText("guitar strings")));
    }

    [Fact]
    public void Bad_models_and_options_fail_clearly()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            PretrainedTokenizerVocabulary.LoadSentencePiece(new MemoryStream([0x0A, 0xFF, 0x01]), source: "broken.model"));
        Assert.StartsWith("broken.model", e.Message);
        Assert.Contains("spiece.model", Assert.ThrowsAny<IOException>(() => PretrainedTokenizerVocabulary.LoadSentencePiece("/nonexistent/spiece.model")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PretrainedTokenizerVocabularyOptions { BaseVocabularySize = 0 });
        var tooSmall = new PretrainedTokenizerVocabulary(CompactGpt2Vocabulary.Gpt2, new PretrainedTokenizerVocabularyOptions { BaseVocabularySize = 10 });
        Assert.Contains("raise BaseVocabularySize", Assert.Throws<InvalidOperationException>(() => tooSmall.EncodeText("x")).Message);
        Assert.Contains("PadId 10", Assert.Throws<ArgumentException>(() => new PretrainedTokenizerVocabulary(CompactGpt2Vocabulary.Gpt2,
            new PretrainedTokenizerVocabularyOptions { BaseVocabularySize = 10, PadId = 10 })).Message);
    }

    [Fact]
    public void Patching_the_model_only_touches_the_missing_beginning_of_sentence_piece()
    {
        var original = File.ReadAllBytes(TextFixtures.SentencePieceModel);
        var patched = SentencePieceModelBytes.WithBosPiece(original, "spiece.model");
        Assert.NotEqual(original, patched);
        // Patching is idempotent: a model that has a valid beginning-of-sentence id is returned as is.
        Assert.Same(patched, SentencePieceModelBytes.WithBosPiece(patched, "spiece.model"));
    }
}
