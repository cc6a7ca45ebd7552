
namespace GenSR.Core.Tests.Prompts;

public class PromptTemplateTests
{
    [Fact]
    public void The_search_template_has_a_query_two_user_soft_tokens_and_the_history()
    {
        var t = GenSRPromptTemplates.Search;
        Assert.Equal([GenSRPromptTemplates.QuerySlot], t.TextSlots);
        Assert.True(t.HasTokenSequenceSlot);
        Assert.Equal([SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser], t.SoftTokens);
        Assert.Equal(
            [PromptSegmentKind.Literal, PromptSegmentKind.TextSlot, PromptSegmentKind.Literal, PromptSegmentKind.SoftToken, PromptSegmentKind.Literal,
             PromptSegmentKind.SoftToken, PromptSegmentKind.Literal, PromptSegmentKind.TokenSequenceSlot, PromptSegmentKind.Literal],
            t.Segments.Select(s => s.Kind));
        Assert.Equal("Search for:", t.LiteralTexts[0]);
    }

    [Fact]
    public void Every_built_in_template_shares_the_user_slots_and_pointwise_adds_the_item_slots()
    {
        foreach (var task in new[] { TaskKind.Recommendation, TaskKind.Search })
        {
            Assert.Equal([SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser], GenSRPromptTemplates.For(task).SoftTokens);
            var pointwise = GenSRPromptTemplates.For(task, pointwise: true);
            Assert.Equal([SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser, SoftTokenKind.CollaborativeItem, SoftTokenKind.SemanticItem],
                pointwise.SoftTokens);
            Assert.Contains(GenSRPromptTemplates.CandidateSlot, pointwise.TextSlots);
            Assert.EndsWith("Yes or No?", pointwise.Text);
        }
        Assert.DoesNotContain(GenSRPromptTemplates.QuerySlot, GenSRPromptTemplates.Recommendation.TextSlots);
        Assert.Contains(GenSRPromptTemplates.QuerySlot, GenSRPromptTemplates.PointwiseSearch.TextSlots);
        Assert.Equal(6, GenSRPromptTemplates.All.Count);
    }

    [Fact]
    public void Query_vector_templates_share_one_soft_token_layout_across_tasks()
    {
        var recommendation = GenSRPromptTemplates.For(TaskKind.Recommendation, queryVector: true);
        var search = GenSRPromptTemplates.For(TaskKind.Search, queryVector: true);
        Assert.Equal([SoftTokenKind.QueryVector, SoftTokenKind.CollaborativeUser, SoftTokenKind.SemanticUser], recommendation.SoftTokens);
        Assert.Equal(recommendation.SoftTokens, search.SoftTokens);
        Assert.Contains(GenSRPromptTemplates.QuerySlot, search.TextSlots);
        Assert.Equal("[query_vec]", PromptTemplate.SoftTokenTag(SoftTokenKind.QueryVector));
        Assert.Same(GenSRPromptTemplates.PointwiseRecommendation, GenSRPromptTemplates.For(TaskKind.Recommendation, pointwise: true, queryVector: true));
    }

    [Fact]
    public void Escaped_braces_and_ordinary_brackets_are_literal_text()
    {
        var t = PromptTemplate.Parse("{{json}} [Note 1] [Size] {name}");
        Assert.Equal("{json} [Note 1] [Size] ", t.Segments[0].Text);
        Assert.Equal(PromptSegmentKind.TextSlot, t.Segments[1].Kind);
        Assert.Equal(PromptSegmentKind.Literal, t.Segments[0].Kind);
        Assert.Equal("[cf_item]", PromptTemplate.SoftTokenTag(SoftTokenKind.CollaborativeItem));
    }

    [Theory]
    [InlineData("Find {query", "position 5", "no closing")]
    [InlineData("Find query}", "position 10", "without an opening")]
    [InlineData("Find {two words}", "position 5", "slot name")]
    [InlineData("User [cf_user] [cf_user]", "position 15", "only once")]
    [InlineData("User [mood]", "position 5", "unknown soft-token slot [mood]")]
    [InlineData("{history} and {history}", "position 14", "only once")]
    public void Malformed_templates_fail_with_name_position_and_problem(string text, string position, string problem)
    {
        var e = Assert.Throws<FormatException>(() => PromptTemplate.Parse(text, "mine"));
        Assert.Contains("\"mine\"", e.Message);
        Assert.Contains(position, e.Message);
        Assert.Contains(problem, e.Message);
    }
}
