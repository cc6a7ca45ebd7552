using GenSR.Core;

namespace GenSR.Evaluation.Tests.Harness;

/// <summary>Generative retrieval is ranked by position in the generated list; a target that is not generated is not found.</summary>
public sealed class GeneratedListRankingTests
{
    [Fact]
    public void The_rank_is_the_one_based_position_of_the_target()
    {
        Assert.Equal(1, ProtocolEvaluator.RankInGeneratedList([7, 3, 9], 7, null, 20));
        Assert.Equal(3, ProtocolEvaluator.RankInGeneratedList([7, 3, 9], 9, null, 20));
    }

    [Fact]
    public void A_target_that_was_not_generated_is_not_found()
    {
        Assert.Equal(0, ProtocolEvaluator.RankInGeneratedList([7, 3, 9], 4, null, 20));
        Assert.Equal(0, ProtocolEvaluator.RankInGeneratedList([], 4, null, 20));
    }

    [Fact]
    public void Items_past_the_list_length_do_not_count()
    {
        var list = Enumerable.Range(100, 30).ToArray();
        Assert.Equal(20, ProtocolEvaluator.RankInGeneratedList(list, 119, null, 20));
        Assert.Equal(0, ProtocolEvaluator.RankInGeneratedList(list, 120, null, 20));
    }

    [Fact]
    public void Excluded_items_and_repeats_are_dropped_before_positions_are_counted()
    {
        var seen = new HashSet<int> { 5, 6 };
        Assert.Equal(2, ProtocolEvaluator.RankInGeneratedList([5, 1, 6, 1, 8], 8, seen, 20));
        // Dropping excluded items lets a target beyond the list length move into it.
        Assert.Equal(3, ProtocolEvaluator.RankInGeneratedList([5, 6, 1, 2, 8], 8, seen, 3));
    }

    [Fact]
    public void The_target_is_never_excluded_even_when_seen_before()
    {
        Assert.Equal(2, ProtocolEvaluator.RankInGeneratedList([1, 5, 2], 5, new HashSet<int> { 5 }, 20));
    }

    [Fact]
    public void A_generator_is_evaluated_under_full_ranking_from_its_lists()
    {
        // Users' test targets: 3, 7, 11. The generator puts the target third for user 0, first for user 1, and misses user 2's.
        var split = TestDatasets.Split(12, [0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]);
        var generator = new ListGenerator("lists", c => c.UserId switch
        {
            0 => [0, 9, 8, c.TargetItemId],   // item 0 was seen before and is dropped: rank 3
            1 => [c.TargetItemId, 0],
            _ => [0, 1, 2],
        });

        var evaluation = ProtocolEvaluator.Evaluate(generator, split, split.Test, EvaluationProtocol.FullRanking, new RankingOptions());

        Assert.Equal(RankingMethod.GeneratedList, evaluation.Method);
        var metrics = evaluation.Tasks.Single(t => t.Task == TaskKind.Recommendation);
        Assert.Equal(3, metrics.Cases);
        Assert.Equal(2.0 / 3, metrics["Recall@10"], 12);
        Assert.Equal(2.0 / 3, metrics["Recall@5"], 12);
        Assert.Equal((1 / Math.Log2(4) + 1) / 3, metrics["NDCG@10"], 12);
        Assert.Equal((1.0 / 3 + 1) / 3, metrics["MRR@20"], 12);
        // The generator is told the list length and what each case excludes (so it can generate past those items).
        var request = generator.Requests[0];
        Assert.Equal(20, request.ListLength);
        Assert.Equal(new HashSet<int> { 0, 1, 2 }, request.ExcludedItems![0]);
    }

    [Fact]
    public void A_generator_without_candidate_scoring_cannot_be_evaluated_under_the_sampled_protocol()
    {
        var split = TestDatasets.Split(200, [0, 1, 2, 3]);
        var generator = new ListGenerator("lists only", c => [c.TargetItemId]);

        Assert.Null(ProtocolEvaluator.MethodFor(generator, EvaluationProtocol.Sampled));
        var error = Assert.Throws<NotSupportedException>(() =>
            ProtocolEvaluator.Evaluate(generator, split, split.Test, EvaluationProtocol.Sampled, new RankingOptions()));
        Assert.Contains("lists only", error.Message);
    }
}
