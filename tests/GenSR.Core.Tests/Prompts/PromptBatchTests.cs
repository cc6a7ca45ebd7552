using TorchSharp;

namespace GenSR.Core.Tests.Prompts;

public class PromptBatchTests
{
    private static readonly ModelVocabulary Vocabulary = CompactGpt2Vocabulary.Build(["guitar strings", "wood screws"], 16);

    private static RenderedPrompt Render(PromptTemplate template, string? query, string? candidate, int historyItems) =>
        new PromptRenderer(Vocabulary).Render(template, PromptValues.Create(
            Enumerable.Range(0, historyItems).Select(i => (IReadOnlyList<int>)new[] { Vocabulary.IdentifierOffset + i }).ToArray(), query, candidate));

    [Fact]
    public void Collation_right_pads_with_pad_id_masks_padding_and_keeps_soft_positions()
    {
        RenderedPrompt[] prompts =
        [
            Render(GenSRPromptTemplates.Recommendation, null, null, 1),
            Render(GenSRPromptTemplates.Search, "guitar strings", null, 5),
            Render(GenSRPromptTemplates.Search, "wood screws", null, 0),
        ];
        using var batch = PromptBatch.Collate(prompts, Vocabulary);
        var length = prompts.Max(p => p.Length);
        Assert.Equal(new long[] { 3, length }, batch.InputIds.shape);
        Assert.Equal(new long[] { 3, length }, batch.AttentionMask.shape);
        Assert.Equal(new long[] { 3, 2 }, batch.SoftTokenPositions.shape);
        Assert.Equal(torch.ScalarType.Int64, batch.InputIds.dtype);
        Assert.Equal(torch.ScalarType.Int64, batch.SoftTokenPositions.dtype);
        Assert.Equal([SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser], batch.SoftTokenKinds);

        var ids = batch.InputIds.data<long>().ToArray();
        var mask = batch.AttentionMask.data<long>().ToArray();
        var positions = batch.SoftTokenPositions.data<long>().ToArray();
        for (var b = 0; b < prompts.Length; b++)
        {
            for (var t = 0; t < length; t++)
            {
                var inside = t < prompts[b].Length;
                Assert.Equal(inside ? prompts[b].InputIds[t] : Vocabulary.PadId, ids[b * length + t]);
                Assert.Equal(inside ? 1 : 0, mask[b * length + t]);
            }
            for (var s = 0; s < 2; s++)
            {
                Assert.Equal(prompts[b].SoftTokenPositions[s], positions[b * 2 + s]);
                Assert.Equal(Vocabulary.SoftTokenId, ids[b * length + positions[b * 2 + s]]);
            }
        }
    }

    [Fact]
    public void Minimum_length_pads_further()
    {
        using var batch = PromptBatch.Collate([Render(GenSRPromptTemplates.Recommendation, null, null, 0)], Vocabulary, torch.CPU, minLength: 64);
        Assert.Equal(64, batch.Length);
        Assert.Equal(1, batch.BatchSize);
    }

    [Fact]
    public void Prompts_with_different_soft_slots_cannot_share_a_batch()
    {
        var e = Assert.Throws<ArgumentException>(() => PromptBatch.Collate(
            [Render(GenSRPromptTemplates.Search, "guitar", null, 1), Render(GenSRPromptTemplates.PointwiseSearch, "guitar", "wood screws", 1)],
            Vocabulary));
        Assert.Contains("Prompt 1 (\"pointwise-search\")", e.Message);
        Assert.Throws<ArgumentException>(() => PromptBatch.Collate([], Vocabulary));
    }

    [Fact]
    public void Hand_made_prompts_are_validated()
    {
        var prompt = new RenderedPrompt("manual", [5, 3, 1], [1], [SoftTokenKind.SemanticUser]);
        using var batch = PromptBatch.Collate([prompt], Vocabulary);
        Assert.Equal(new long[] { 1 }, batch.SoftTokenPositions.data<long>().ToArray());
        Assert.Throws<ArgumentException>(() => new RenderedPrompt("manual", [5, 1], [2], [SoftTokenKind.SemanticUser]));
        Assert.Throws<ArgumentException>(() => new RenderedPrompt("manual", [5, 1], [0], []));
    }
}
