using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Decoding.Tests.Support;
using TorchSharp;

namespace GenSR.Decoding.Tests.Search;

public sealed class DecodingConstraintListTests
{
    private const float Tolerance = 1e-4f;

    [Property(MaxTest = 40)]
    public Property Under_rules_the_search_returns_only_allowed_items_and_fills_its_beams_with_them() =>
        Prop.ForAll(Scenarios.Arbitrary(), scenario =>
        {
            var (rules, allowed) = RandomRules(scenario);
            using var decoder = scenario.Decoder();
            var result = Search(scenario, decoder, rules);
            for (var q = 0; q < scenario.Queries; q++)
            {
                var hits = result[q];
                Assert.All(hits, h => Assert.True(allowed[q].Contains(h.Item), $"{scenario}: query {q} returned item {h.Item}, which its rules forbid"));
                Assert.Equal(hits.Count, hits.Select(h => h.Item).Distinct().Count());
                // The beams are spent on allowed items only, so they never run dry while allowed items remain.
                Assert.Equal(Math.Min(scenario.Beams, allowed[q].Count), hits.Count);
            }
        });

    [Property(MaxTest = 30)]
    public Property With_as_many_beams_as_items_the_result_is_the_exact_top_k_of_the_allowed_items() =>
        Prop.ForAll(Scenarios.Arbitrary(beams: items => items + 2), scenario =>
        {
            var (rules, allowed) = RandomRules(scenario);
            using var decoder = scenario.Decoder();
            var result = Search(scenario, decoder, rules);
            var rankings = scenario.ExhaustiveRanking(decoder);
            for (var q = 0; q < scenario.Queries; q++)
            {
                var expected = rankings[q].Where(r => allowed[q].Contains(r.Item)).ToList();
                Assert.Equal(expected.Count, result[q].Count);
                for (var r = 0; r < expected.Count; r++)
                    Assert.True(Math.Abs(expected[r].Score - result[q][r].Score) < Tolerance,
                        $"{scenario}: rank {r} is item {result[q][r].Item} ({result[q][r].Score}), exhaustive says item {expected[r].Item} ({expected[r].Score})");
            }
        });

    [Fact]
    public void Without_rules_the_list_is_the_trie_constraint()
    {
        var scenario = new SearchScenario([3, 4], 10, false, true, 2, 4, BeamScoring.SumLogProb, 7);
        using var decoder = scenario.Decoder();
        var plain = scenario.Search(decoder);
        using var decoder2 = scenario.Decoder();
        var listed = Search(scenario, decoder2, []);
        for (var q = 0; q < scenario.Queries; q++)
            Assert.Equal(plain[q].Select(h => h.Item), listed[q].Select(h => h.Item));
    }

    [Fact]
    public void A_rule_that_does_not_fit_the_search_is_rejected_with_its_reason()
    {
        var scenario = new SearchScenario([3, 4], 10, false, true, 2, 4, BeamScoring.SumLogProb, 7);
        using var decoder = scenario.Decoder();
        var tooFew = Assert.Throws<ArgumentException>(() => Search(scenario, decoder, [ItemExclusions.PerQueryLists([[1]])]));
        Assert.Contains("lists for 1 queries, but the search has 2", tooFew.Message);
        var outside = Assert.Throws<ArgumentException>(() => Search(scenario, decoder, [new ItemAllowList([0, scenario.Table.ItemCount])]));
        Assert.Contains("ItemAllowList names item id", outside.Message);
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        var wrongBatch = new DecodingConstraintList(constraint, 3, []);
        Assert.Throws<ArgumentException>(() => new BeamSearch(scenario.Options()).Search(decoder, wrongBatch));
    }

    [Fact]
    public void A_search_under_rules_leaves_no_tensor_behind()
    {
        var scenario = new SearchScenario([3, 4], 10, false, true, 2, 4, BeamScoring.SumLogProb, 7);
        using var decoder = scenario.Decoder();
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        var list = new DecodingConstraintList(constraint, 2, [new ItemAllowList([0, 1, 2, 3, 4]), ItemExclusions.PerQueryLists([[0], [4]])]);
        var search = new BeamSearch(scenario.Options());
        search.Search(decoder, list); // builds the trie's item paths once; the decoder holds its per-search state
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var result = search.Search(decoder, list);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.DoesNotContain(result[0], h => h.Item == 0 || h.Item > 4);
    }

    private static BeamSearchResult Search(SearchScenario scenario, ReferenceStepDecoder decoder, IReadOnlyList<IItemRule> rules)
    {
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        return new BeamSearch(scenario.Options()).Search(decoder, new DecodingConstraintList(constraint, scenario.Queries, rules));
    }

    // A seeded allow-list (about two items in three) and per-query exclusions (about one item in four), and the items each query may return.
    private static (IItemRule[] Rules, HashSet<int>[] Allowed) RandomRules(SearchScenario scenario)
    {
        var random = new Random(scenario.Seed + 1);
        var items = scenario.Table.ItemCount;
        var allowList = Enumerable.Range(0, items).Where(_ => random.NextDouble() < 0.67).ToArray();
        var excluded = Enumerable.Range(0, scenario.Queries)
            .Select(_ => Enumerable.Range(0, items).Where(_ => random.NextDouble() < 0.25).ToArray())
            .ToArray();
        var allowed = excluded.Select(e => allowList.Except(e).ToHashSet()).ToArray();
        return ([new ItemAllowList(allowList), ItemExclusions.PerQueryLists(excluded)], allowed);
    }
}
