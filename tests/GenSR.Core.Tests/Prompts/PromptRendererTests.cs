
namespace GenSR.Core.Tests.Prompts;

public class PromptRendererTests
{
    // 12 items with 3-level identifiers over 4 + 4 + 4 codes.
    private static readonly IdentifierTable Identifiers = new(
        Enumerable.Range(0, 12).Select(i => (IReadOnlyList<int>)new[] { i % 4, i / 4 % 4, i % 3 }).ToArray(), [4, 4, 4]);

    private static readonly ModelVocabulary Vocabulary = CompactGpt2Vocabulary
        .Build(["acoustic guitar strings", "Fender light guitar strings 10 pack", "stainless wood screws"], 0)
        .ForIdentifiers(Identifiers);

    private static IReadOnlyList<IReadOnlyList<int>> History(params int[] items) =>
        items.Select(i => (IReadOnlyList<int>)Identifiers.ToTokenIds(i, Vocabulary.IdentifierOffset)).ToArray();

    [Fact]
    public void A_search_prompt_renders_text_soft_tokens_history_and_eos()
    {
        var renderer = new PromptRenderer(Vocabulary);
        var prompt = renderer.Render(GenSRPromptTemplates.Search, PromptValues.Create(History(3, 7), query: "acoustic guitar strings"));

        Assert.Equal(Vocabulary.EosId, prompt.InputIds[^1]);
        Assert.Equal([SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser], prompt.SoftTokenKinds);
        Assert.All(prompt.SoftTokenPositions, p => Assert.Equal(Vocabulary.SoftTokenId, prompt.InputIds[p]));
        Assert.Equal(2, prompt.InputIds.AsSpan().Count(Vocabulary.SoftTokenId));
        Assert.DoesNotContain(Vocabulary.UnknownId, prompt.InputIds);
        Assert.Equal((2, 0, false), (prompt.HistoryItemsKept, prompt.HistoryItemsDropped, prompt.TextTruncated));
        Assert.Equal(
            "Search for: acoustic guitar strings. User:<soft><soft>. History:<a_3><b_0><c_0><a_3><b_1><c_1>.</s>",
            Vocabulary.Decode(prompt.InputIds, Identifiers));
    }

    [Fact]
    public void A_pointwise_prompt_carries_the_candidate_and_four_soft_tokens()
    {
        var prompt = new PromptRenderer(Vocabulary).Render(GenSRPromptTemplates.PointwiseRecommendation,
            PromptValues.Create(History(1), candidate: "Fender light guitar strings 10 pack"));
        Assert.Equal(4, prompt.SoftTokenPositions.Length);
        Assert.All(prompt.SoftTokenPositions, p => Assert.Equal(Vocabulary.SoftTokenId, prompt.InputIds[p]));
        var text = Vocabulary.Decode(prompt.InputIds, Identifiers);
        Assert.Contains("Item: Fender light guitar strings 10 pack<soft><soft>. Yes or No?</s>", text);
    }

    [Fact]
    public void Truncation_drops_the_oldest_history_items_and_keeps_the_query()
    {
        var full = new PromptRenderer(Vocabulary).Render(GenSRPromptTemplates.Search, PromptValues.Create(History(), query: "acoustic guitar strings"));
        // Room for exactly three 3-token identifiers.
        var renderer = new PromptRenderer(Vocabulary, new PromptRendererOptions { MaxLength = full.Length + 3 * 3 + 2 });
        var history = History(0, 1, 2, 4, 5, 6, 8, 9, 10, 11);
        var prompt = renderer.Render(GenSRPromptTemplates.Search, PromptValues.Create(history, query: "acoustic guitar strings"));

        Assert.True(prompt.Length <= renderer.Options.MaxLength);
        Assert.Equal((3, 7), (prompt.HistoryItemsKept, prompt.HistoryItemsDropped));
        var expectedHistory = history.Skip(7).SelectMany(h => h).ToArray();
        var historyStart = prompt.Length - 2 - expectedHistory.Length;   // history, then ".", then eos
        Assert.Equal(expectedHistory, prompt.InputIds.Skip(historyStart).Take(expectedHistory.Length));
        Assert.Contains("Search for: acoustic guitar strings.", Vocabulary.Decode(prompt.InputIds));
        Assert.All(prompt.SoftTokenPositions, p => Assert.Equal(Vocabulary.SoftTokenId, prompt.InputIds[p]));
    }

    [Fact]
    public void A_long_candidate_is_shortened_from_its_end_only_when_nothing_else_fits()
    {
        var longTitle = string.Join(' ', Enumerable.Repeat("stainless wood screws", 30));
        var renderer = new PromptRenderer(Vocabulary, new PromptRendererOptions { MaxLength = 64 });
        var prompt = renderer.Render(GenSRPromptTemplates.PointwiseSearch, PromptValues.Create(History(1, 2), "acoustic guitar", longTitle));
        Assert.True(prompt.TextTruncated);
        Assert.Equal(2, prompt.HistoryItemsDropped);
        Assert.InRange(prompt.Length, 56, 64);
        var text = Vocabulary.Decode(prompt.InputIds);
        Assert.Contains("Search for: acoustic guitar.", text);
        Assert.Contains("Item: stainless wood", text);
        Assert.EndsWith("<soft><soft>. Yes or No?</s>", text);
    }

    [Fact]
    public void Impossible_lengths_and_missing_values_fail_clearly()
    {
        var renderer = new PromptRenderer(Vocabulary, new PromptRendererOptions { MaxLength = 8 });
        var e = Assert.Throws<ArgumentException>(() => renderer.Render(GenSRPromptTemplates.Search, PromptValues.Create(History(), "acoustic guitar strings")));
        Assert.Contains("MaxLength 8", e.Message);
        Assert.Contains("\"search\"", e.Message);

        var missing = Assert.Throws<ArgumentException>(() => new PromptRenderer(Vocabulary).Render(GenSRPromptTemplates.Search, PromptValues.Create(History())));
        Assert.Contains("{query}", missing.Message);

        var outside = Assert.Throws<ArgumentException>(() => new PromptRenderer(Vocabulary)
            .Render(GenSRPromptTemplates.Recommendation, PromptValues.Create([new[] { Vocabulary.Size }])));
        Assert.Contains("History entry 0", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptRendererOptions { MaxLength = 2 });
    }

    [Fact]
    public void Rendering_works_through_a_pretrained_sentencepiece_vocabulary()
    {
        var vocabulary = PretrainedTokenizerVocabulary.LoadSentencePiece(Text.TextFixtures.SentencePieceModel).ForIdentifiers(Identifiers);
        var prompt = new PromptRenderer(vocabulary).Render(GenSRPromptTemplates.Search,
            PromptValues.Create([Identifiers.ToTokenIds(5, vocabulary.IdentifierOffset)], "guitar strings"));
        Assert.Equal(vocabulary.EosId, prompt.InputIds[^1]);
        Assert.All(prompt.SoftTokenPositions, p => Assert.Equal(vocabulary.SoftTokenId, prompt.InputIds[p]));
        var history = Identifiers.ToTokenIds(5, vocabulary.IdentifierOffset);
        var start = prompt.InputIds.ToList().IndexOf(history[0]);
        Assert.Equal(history, prompt.InputIds.Skip(start).Take(history.Length));
        Assert.True(start > prompt.SoftTokenPositions[^1]);
        Assert.All(prompt.InputIds, id => Assert.InRange(id, 0, vocabulary.Size - 1));
    }
}
