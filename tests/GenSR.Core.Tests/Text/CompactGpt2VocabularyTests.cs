
namespace GenSR.Core.Tests.Text;

public class CompactGpt2VocabularyTests
{
    private static readonly string[] Corpus =
    [
        "Fender light guitar strings 10 pack",
        "Ernie Ball coated guitar strings",
        "Kreg stainless wood screws",
        "guitar strings acoustic",
    ];

    private static readonly CompactGpt2Vocabulary Vocabulary = CompactGpt2Vocabulary.Build(Corpus, identifierTokenCount: 12);

    [Fact]
    public void Layout_is_specials_then_text_then_identifiers()
    {
        var v = Vocabulary;
        Assert.Equal((0, 1, 2, 3), (v.PadId, v.EosId, v.UnknownId, v.SoftTokenId));
        Assert.Equal(CompactGpt2Vocabulary.TextOffset + v.TextTokenCount, v.IdentifierOffset);
        Assert.Equal(v.IdentifierOffset + 12, v.Size);
        Assert.True(v.TextTokenCount < 200, $"a compact vocabulary of a tiny corpus should be small, got {v.TextTokenCount}");
        Assert.True(v.IsTextToken(v.YesId) && v.IsTextToken(v.NoId));
        Assert.Equal(" Yes", v.Decode([v.YesId]));
        Assert.Equal(" No", v.Decode([v.NoId]));
        Assert.True(v.IsIdentifierToken(v.IdentifierOffset) && !v.IsIdentifierToken(v.Size) && !v.IsTextToken(v.SoftTokenId));
    }

    [Fact]
    public void Corpus_text_round_trips_and_unseen_words_become_unknown()
    {
        foreach (var text in Corpus)
        {
            var ids = Vocabulary.EncodeText(text);
            Assert.DoesNotContain(Vocabulary.UnknownId, ids);
            Assert.All(ids, id => Assert.True(Vocabulary.IsTextToken(id)));
            Assert.Equal(text, Vocabulary.Decode(ids));
            Assert.Equal(" " + text, Vocabulary.Decode(Vocabulary.EncodeText(" " + text)));
        }
        var unseen = Vocabulary.EncodeText("guitar zebra");
        Assert.Contains(Vocabulary.UnknownId, unseen);
        Assert.StartsWith("guitar<unk>", Vocabulary.Decode(unseen));
        Assert.Empty(Vocabulary.EncodeText(""));
    }

    [Fact]
    public void Built_in_template_words_are_always_encodable()
    {
        foreach (var template in GenSRPromptTemplates.All)
            foreach (var literal in template.LiteralTexts)
                Assert.DoesNotContain(Vocabulary.UnknownId, Vocabulary.EncodeText(literal));
    }

    [Fact]
    public void Size_limit_keeps_the_most_frequent_tokens()
    {
        var corpus = Enumerable.Repeat("guitar", 50).Append("xylophone").ToArray();
        // The GPT-2 tokens of "guitar" at the start of a text and after a space.
        var guitarTokens = CompactGpt2Vocabulary.Gpt2.EncodeToIds("guitar").Union(CompactGpt2Vocabulary.Gpt2.EncodeToIds(" guitar")).Count();
        var v = CompactGpt2Vocabulary.Build(corpus, 0, new CompactGpt2VocabularyOptions { MaxTextTokens = guitarTokens, IncludeBuiltInPromptTemplates = false });
        Assert.DoesNotContain(v.UnknownId, v.EncodeText("guitar"));
        Assert.DoesNotContain(v.UnknownId, v.EncodeText(" guitar"));
        Assert.Contains(v.UnknownId, v.EncodeText("xylophone"));
        // The corpus tokens plus the always-kept Yes/No forms.
        Assert.True(v.TextTokenCount <= guitarTokens + 4, $"got {v.TextTokenCount}");

        var min = CompactGpt2Vocabulary.Build(corpus, 0, new CompactGpt2VocabularyOptions { MinimumCount = 2, IncludeBuiltInPromptTemplates = false });
        Assert.Contains(min.UnknownId, min.EncodeText(" xylophone"));
    }

    [Fact]
    public void Save_and_load_restore_the_exact_vocabulary()
    {
        using var stream = new MemoryStream();
        Vocabulary.Save(stream);
        stream.Position = 0;
        var loaded = CompactGpt2Vocabulary.Load(stream);
        Assert.Equal(Vocabulary.Gpt2Ids, loaded.Gpt2Ids);
        Assert.Equal(Vocabulary.Size, loaded.Size);
        Assert.Equal((Vocabulary.YesId, Vocabulary.NoId), (loaded.YesId, loaded.NoId));
        foreach (var text in Corpus.Append("guitar zebra"))
            Assert.Equal(Vocabulary.EncodeText(text), loaded.EncodeText(text));
    }

    [Theory]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":2}", "version 2")]
    [InlineData("{\"format\":\"other\"}", "expected \"format\"")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":0,\"gpt2Ids\":[5,3]}", "strictly ascending")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":0,\"gpt2Ids\":[99999]}", "outside")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":0,\"gpt2Ids\":[5]}", "Yes")]
    public void Malformed_files_fail_with_the_source_and_the_problem(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => CompactGpt2Vocabulary.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "vocab.json"));
        Assert.StartsWith("vocab.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Identifier_token_count_can_change_and_identifier_tokens_decode_by_level()
    {
        var table = new IdentifierTable([new[] { 1, 0 }, new[] { 2, 3 }], [3, 4]);
        var v = Vocabulary.ForIdentifiers(table);
        Assert.Equal(7, v.IdentifierTokenCount);
        Assert.Equal(Vocabulary.IdentifierOffset, v.IdentifierOffset);
        Assert.Equal(Vocabulary.EncodeText("guitar"), v.EncodeText("guitar"));
        var ids = table.ToTokenIds(1, v.IdentifierOffset);
        Assert.Equal("<a_2><b_3>", v.Decode(ids, table));
        Assert.Equal($"<id_{ids[0] - v.IdentifierOffset}>", v.Decode(ids.Take(1)));
        Assert.Equal("guitar</s><pad>", v.Decode([.. v.EncodeText("guitar"), v.EosId, v.PadId]));
        Assert.Equal("guitar", v.Decode([.. v.EncodeText("guitar"), v.EosId], skipSpecialTokens: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Decode([v.Size]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.WithIdentifierTokenCount(-1));
    }
}

/// <summary>The vocabulary's file and its object in gensr.json: read and written through generated metadata, in the same shape as before.</summary>
public sealed class CompactGpt2VocabularyFormatTests
{
    // As vocabularies have always been stored: compact, these names in this order. The ids are those of " Yes", " No", "Yes" and "No".
    private static string Pinned()
    {
        var ids = new[] { " Yes", " No", "Yes", "No" }.SelectMany(t => CompactGpt2Vocabulary.Gpt2.EncodeToIds(t)).Distinct().Order();
        return $$"""{"format":"gensr-compact-gpt2-vocabulary","version":1,"tokenizer":"gpt2","identifierTokenCount":12,"gpt2Ids":[{{string.Join(",", ids)}}]}""";
    }

    private static CompactGpt2Vocabulary Parse(string json) =>
        CompactGpt2Vocabulary.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "vocab.json");

    [Fact]
    public void A_stored_vocabulary_is_written_back_as_it_was_read()
    {
        var text = Pinned();
        var input = System.Text.Json.Nodes.JsonNode.Parse(text)!;

        var written = CompactGpt2Vocabulary.FromJson(input, "gensr.json").ToJson();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(input, written));
        Assert.Equal(text, written.ToJsonString());

        using var file = new MemoryStream();
        Parse(text).Save(file);
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(file.ToArray()));
    }

    [Theory]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":0,\"gpt2Ids\":[5,\"6\"]}", "vocab.json: gpt2Ids[1]: expected an integer.")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":1.5,\"gpt2Ids\":[5]}", "vocab.json: identifierTokenCount: expected an integer.")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"gpt2Ids\":[5]}", "vocab.json: \"identifierTokenCount\" must be an integer.")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"cl100k\",\"identifierTokenCount\":0,\"gpt2Ids\":[5]}", "vocab.json: expected \"tokenizer\": \"gpt2\".")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":1,\"tokenizer\":\"gpt2\",\"identifierTokenCount\":0,\"identifierTokenCount\":1,\"gpt2Ids\":[5]}", "vocab.json: ")]
    [InlineData("{\"format\":\"gensr-compact-gpt2-vocabulary\",\"version\":\"1\"}", "vocab.json: version -1 is not supported")]
    public void A_bad_file_is_refused_naming_the_field(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
