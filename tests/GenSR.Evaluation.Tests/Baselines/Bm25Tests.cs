using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class Bm25Tests
{
    private static readonly ItemCatalog Catalog = new(
    [
        new Item(0, "a", "Red Wool Scarf", "", "Cosy", ["Clothing", "Scarves"]),
        new Item(1, "b", "Blue Cotton Shirt", "", "Cosy", ["Clothing", "Shirts"]),
        new Item(2, "c", "Red Sports Car Model 1:18", "", "Speedy", ["Toys", "Model Cars"]),
        new Item(3, "d", "Wool Winter Hat", "", "Alpine", ["Clothing", "Hats"]),
        new Item(4, "e", "Garden Hose 20m", "", "GreenCo", ["Garden", "Watering"]),
    ]);

    private static float[] Scores(string query)
    {
        var index = new Bm25Index(Catalog.Select(TextWords.OfItem).ToArray());
        var scores = new float[Catalog.Count];
        index.Score(TextWords.Split(query), scores);
        return scores;
    }

    [Fact]
    public void The_item_matching_every_query_word_ranks_first()
    {
        var scores = Scores("red wool scarf");

        Assert.Equal(0, Array.IndexOf(scores, scores.Max()));
        Assert.True(scores[0] > scores[2] && scores[0] > scores[3], "partial matches rank below the full match");
        Assert.Equal(0f, scores[4]);
    }

    [Fact]
    public void A_rare_word_weighs_more_than_a_common_one()
    {
        // "clothing" is in three items, "garden" in one: a query of both ranks the garden hose first.
        var scores = Scores("clothing garden");

        Assert.Equal(4, Array.IndexOf(scores, scores.Max()));
    }

    [Fact]
    public void Scores_follow_the_BM25_formula_with_the_shifted_idf()
    {
        // Two documents: [a] and [b, b]; average length 1.5; query "a".
        var index = new Bm25Index([["a"], ["b", "b"]]);
        var scores = new float[2];
        index.Score(["a"], scores);

        var idf = Math.Log(1 + (2 - 1 + 0.5) / (1 + 0.5));
        var expected = idf * 1 * (1.2 + 1) / (1 + 1.2 * (1 - 0.75 + 0.75 * 1 / 1.5));
        Assert.Equal(expected, scores[0], 5);
        Assert.Equal(0f, scores[1]);
        Assert.Equal(1.5, index.AverageLength);
    }

    [Fact]
    public void An_empty_or_unknown_query_scores_every_item_zero()
    {
        Assert.All(Scores(""), s => Assert.Equal(0f, s));
        Assert.All(Scores("zzz qqq"), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void The_system_serves_search_only_and_ranks_by_the_case_query()
    {
        var users = new[] { new User(0, "u") };
        var history = new[] { SrEvent.Recommendation(0, 4), SrEvent.Recommendation(0, 1), SrEvent.Search(0, 0, "red wool scarf") };
        var split = LeaveOneOutSplit.Create(new SrDataset("shop", Catalog, users, [history]));
        using var bm25 = new Bm25System();
        bm25.Train(split, new EvaluationContext(torch.CPU, 1));

        Assert.False(bm25.Supports(TaskKind.Recommendation));
        var evaluation = ProtocolEvaluator.Evaluate(bm25, split, split.Test, EvaluationProtocol.FullRanking, new RankingOptions());
        Assert.Equal(TaskKind.Search, Assert.Single(evaluation.Tasks).Task);
        Assert.Equal(1.0, evaluation.Tasks[0]["MRR@5"], 12);
    }

    [Fact]
    public void Options_reject_values_outside_their_range()
    {
        Assert.Equal("K1", Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { K1 = -1 }).ParamName);
        Assert.Equal("B", Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { B = 1.5 }).ParamName);
    }
}
