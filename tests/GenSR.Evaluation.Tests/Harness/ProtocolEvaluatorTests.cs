using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Harness;

/// <summary>How the harness ranks score-based and candidate-scoring systems under both protocols.</summary>
public sealed class ProtocolEvaluatorTests
{
    private const int Items = 300;

    private static readonly DatasetSplit Split = TestDatasets.Split(
        Items, [0, 1, 2, 3, 4], [10, 11, 12], [20, 21, 22, 23], [30, 31, 32, 33, 34, 35], [40, 41]);

    [Fact]
    public void A_target_item_without_any_words_is_a_recommendation_case_only_and_search_ranks_the_others()
    {
        // Item 4 has no title, brand, description or category: the first user's test target (4) has no query.
        var catalog = new ItemCatalog(TestDatasets.Catalogue(Items).Select(i => i.Id == 4 ? i with { Title = "", Categories = [] } : i));
        var split = LeaveOneOutSplit.Create(TestDatasets.WithHistories(catalog, [0, 1, 2, 3, 4], [10, 11, 12], [20, 21, 22, 23]));
        Assert.Equal([false, true, true], split.Test.Select(c => c.HasQuery));
        var oracle = new FunctionScorer("oracle", Items, (c, i) => i == c.TargetItemId ? 1 : 0);

        var result = ProtocolEvaluator.Evaluate(oracle, split, split.Test, EvaluationProtocol.FullRanking, new RankingOptions());

        Assert.Equal(5, oracle.CasesSeen.Count); // three cases for recommendation, two for search
        Assert.Single(oracle.CasesSeen, c => c.UserId == 0);
        Assert.Equal(1.0, result.Tasks.Single(t => t.Task == TaskKind.Search)["NDCG@10"]);
        Assert.Equal(1.0, result.Tasks.Single(t => t.Task == TaskKind.Recommendation)["NDCG@10"]);
    }

    [Fact]
    public void Each_capability_maps_to_the_protocols_it_can_serve()
    {
        var scorer = new FunctionScorer("scores", Items, (_, i) => i);
        var pointwise = new CandidateFunctionScorer("pointwise", (_, i) => i);
        var generator = new ListGenerator("generator", _ => []);

        Assert.Equal(RankingMethod.CatalogScores, ProtocolEvaluator.MethodFor(scorer, EvaluationProtocol.FullRanking));
        Assert.Equal(RankingMethod.CatalogScoresAtCandidates, ProtocolEvaluator.MethodFor(scorer, EvaluationProtocol.Sampled));
        Assert.Null(ProtocolEvaluator.MethodFor(pointwise, EvaluationProtocol.FullRanking));
        Assert.Equal(RankingMethod.CandidateScores, ProtocolEvaluator.MethodFor(pointwise, EvaluationProtocol.Sampled));
        Assert.Equal(RankingMethod.GeneratedList, ProtocolEvaluator.MethodFor(generator, EvaluationProtocol.FullRanking));
        Assert.Null(ProtocolEvaluator.MethodFor(generator, EvaluationProtocol.Sampled));
    }

    [Theory]
    [InlineData(EvaluationProtocol.FullRanking)]
    [InlineData(EvaluationProtocol.Sampled)]
    public void A_system_that_scores_the_target_highest_is_perfect_and_a_constant_one_finds_nothing(EvaluationProtocol protocol)
    {
        var oracle = new FunctionScorer("oracle", Items, (c, i) => i == c.TargetItemId ? 1 : 0);
        var constant = new FunctionScorer("constant", Items, (_, _) => 0.5f);

        var perfect = ProtocolEvaluator.Evaluate(oracle, Split, Split.Test, protocol, new RankingOptions());
        var nothing = ProtocolEvaluator.Evaluate(constant, Split, Split.Test, protocol, new RankingOptions());

        Assert.All(perfect.Tasks, t => Assert.Equal(1.0, t["NDCG@5"], 12));
        // Ties count against the target, so equal scores rank it last: beyond every cutoff.
        Assert.All(nothing.Tasks, t => Assert.Equal(0.0, t["Recall@20"]));
        Assert.Equal([TaskKind.Recommendation, TaskKind.Search], perfect.Tasks.Select(t => t.Task));
        Assert.Equal(Split.Test.Count, perfect.Tasks[0].Cases);
    }

    [Fact]
    public void Full_ranking_ignores_items_seen_before_the_target_only_when_asked_to()
    {
        // Seen items score highest, the target next: rank 1 once the seen items are excluded, else |seen| + 1.
        var scorer = new FunctionScorer("seen first", Items, (c, i) =>
            i == c.TargetItemId ? 1 : Split.GetItemsSeenBefore(c).Contains(i) ? 2 : 0);
        var user = Split.Test.Single(c => c.UserId == 0);   // seen before: items 0..3

        var excluded = ProtocolEvaluator.Evaluate(scorer, Split, [user], EvaluationProtocol.FullRanking, new RankingOptions(), [TaskKind.Recommendation]);
        var kept = ProtocolEvaluator.Evaluate(scorer, Split, [user], EvaluationProtocol.FullRanking,
                                              new RankingOptions { ExcludeSeenItemsInFullRanking = false }, [TaskKind.Recommendation]);

        Assert.Equal(1.0, excluded.Tasks[0]["MRR@20"], 12);
        Assert.Equal(1.0 / 5, kept.Tasks[0]["MRR@20"], 12);
        Assert.Contains("excluded", excluded.Description);
        Assert.Contains("kept", kept.Description);
    }

    [Fact]
    public void Sampled_candidates_hold_the_target_once_no_seen_item_and_the_same_items_for_every_system()
    {
        var pointwise = new CandidateFunctionScorer("pointwise", (_, i) => (i * 37) % 101);
        var scorer = new FunctionScorer("scores", Items, (_, i) => (i * 37) % 101);
        var options = new RankingOptions { Sampled = new SampledCandidatesOptions { NegativeCount = 49, Seed = 3 } };

        var fromCandidates = ProtocolEvaluator.Evaluate(pointwise, Split, Split.Test, EvaluationProtocol.Sampled, options);
        var fromCatalog = ProtocolEvaluator.Evaluate(scorer, Split, Split.Test, EvaluationProtocol.Sampled, options);

        var cases = pointwise.CasesSeen;
        Assert.Equal(2 * Split.Test.Count, pointwise.Rows.Count);
        for (var r = 0; r < pointwise.Rows.Count; r++)
        {
            var row = pointwise.Rows[r];
            Assert.Equal(50, row.Length);
            Assert.Equal(50, row.Distinct().Count());
            Assert.Single(row, i => i == cases[r].TargetItemId);
            Assert.DoesNotContain(row, i => i != cases[r].TargetItemId && Split.GetItemsSeenBefore(cases[r]).Contains(i));
        }
        // The target does not always sit in the same column, so a scorer cannot find it by position.
        Assert.True(pointwise.Rows.Select((row, r) => Array.IndexOf(row, cases[r].TargetItemId)).Distinct().Count() > 1);
        // Reading catalogue scores at the candidates gives the same ranking as scoring the candidates themselves.
        for (var t = 0; t < fromCandidates.Tasks.Count; t++)
            Assert.Equal(fromCandidates.Tasks[t].Values, fromCatalog.Tasks[t].Values);
    }

    [Fact]
    public void Validation_ranks_validation_cases_only()
    {
        var scorer = new FunctionScorer("recorder", Items, (_, i) => i);
        var context = new EvaluationContext(torch.CPU, 1);

        var metrics = context.EvaluateValidation(scorer, Split);

        Assert.Equal(2, metrics.Count);
        Assert.All(scorer.CasesSeen, c => Assert.Contains(c, Split.Validation));
        Assert.DoesNotContain(scorer.CasesSeen, c => Split.Test.Contains(c));
        Assert.Equal("NDCG@10", context.SelectionMetric);
    }

    [Fact]
    public void NaN_scores_are_reported_with_the_system_name()
    {
        var broken = new FunctionScorer("broken", Items, (_, i) => i == 7 ? float.NaN : 0);

        var error = Assert.Throws<InvalidOperationException>(() =>
            ProtocolEvaluator.Evaluate(broken, Split, Split.Test, EvaluationProtocol.FullRanking, new RankingOptions()));

        Assert.Contains("broken", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void Ranking_options_reject_values_outside_their_range()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new RankingOptions { BatchSize = 0 }).ParamName);
        Assert.Equal("Cutoffs", Assert.Throws<ArgumentException>(() => new RankingOptions { Cutoffs = [0, 10] }).ParamName);
        Assert.Equal("Cutoffs", Assert.Throws<ArgumentException>(() => new RankingOptions { Cutoffs = [] }).ParamName);
    }
}
