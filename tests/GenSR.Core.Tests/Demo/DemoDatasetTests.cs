using Xunit.Abstractions;

namespace GenSR.Core.Tests.Demo;

public sealed class DemoDatasetTests(ITestOutputHelper output)
{
    private static readonly Lazy<SrDataset> Default = new(() => DemoDataset.Generate());
    private static readonly Lazy<DatasetSplit> DefaultSplit = new(() => LeaveOneOutSplit.Create(Default.Value));

    [Fact]
    public void Defaults_give_the_documented_size()
    {
        var dataset = Default.Value;
        var statistics = dataset.ComputeStatistics();
        output.WriteLine(statistics.ToString());

        Assert.Equal("demo", dataset.Name);
        Assert.Equal(1000, statistics.Users);
        Assert.Equal(500, statistics.Items);
        Assert.All(dataset.Histories, h => Assert.InRange(h.Count, 15, 20));
        Assert.InRange((double)statistics.SearchEvents / statistics.Events, 0.47, 0.53);
        Assert.Equal(0, statistics.ItemsWithEmptyTitle);
        Assert.Empty(dataset.Warnings);
    }

    [Fact]
    public void Catalogue_looks_like_a_shop()
    {
        var catalog = Default.Value.Catalog;

        Assert.All(catalog, item => Assert.Equal(3, item.Categories.Count));
        Assert.Equal(catalog.Count, catalog.Select(i => i.Title).Distinct().Count());
        Assert.All(catalog, item => Assert.False(string.IsNullOrWhiteSpace(item.Brand)));
        Assert.All(catalog, item => Assert.False(string.IsNullOrWhiteSpace(item.Description)));
        Assert.True(catalog.Select(i => i.Categories[0]).Distinct().Count() >= 4);
        Assert.True(catalog.Select(i => i.Categories[2]).Distinct().Count() >= 30);
        Assert.Contains(catalog, i => i.Categories.SequenceEqual(["Electronics", "Cameras", "Digital Cameras"]));
        var camera = catalog.First(i => i.Categories[2] == "Digital Cameras");
        Assert.StartsWith(camera.Brand + " ", camera.Title);
        Assert.Contains("Digital Camera", camera.Title);
    }

    [Fact]
    public void Histories_are_chronological_without_repeats_and_searches_have_queries()
    {
        foreach (var history in Default.Value.Histories)
        {
            Assert.Equal(history.Count, history.Select(e => e.ItemId).Distinct().Count());
            for (var i = 1; i < history.Count; i++)
                Assert.True(history[i].Timestamp > history[i - 1].Timestamp);
            Assert.All(history.Where(e => e.Task == TaskKind.Search), e =>
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Query));
                Assert.Equal(e.Query, e.Query!.ToLowerInvariant());
            });
            Assert.All(history.Where(e => e.Task == TaskKind.Recommendation), e => Assert.Null(e.Query));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_dataset_and_another_seed_another()
    {
        var options = new DemoDatasetOptions { Users = 50, Items = 200, Seed = 11 };
        var first = DemoDataset.Generate(options);
        var second = DemoDataset.Generate(options);
        var other = DemoDataset.Generate(options with { Seed = 12 });

        Assert.Equal(first.Catalog.Select(i => i.Title), second.Catalog.Select(i => i.Title));
        Assert.Equal(first.Histories.SelectMany(h => h), second.Histories.SelectMany(h => h));
        Assert.NotEqual(first.Histories.SelectMany(h => h), other.Histories.SelectMany(h => h));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Equal("Users", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoDatasetOptions { Users = 0 }).ParamName);
        Assert.Equal("Items", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoDatasetOptions { Items = 10 }).ParamName);
        Assert.Equal("SearchFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoDatasetOptions { SearchFraction = 1.5 }).ParamName);
        Assert.Throws<ArgumentException>(() => DemoDataset.Generate(new DemoDatasetOptions { MinEventsPerUser = 30, MaxEventsPerUser = 20 }));
        Assert.Throws<ArgumentException>(() => DemoDataset.Generate(new DemoDatasetOptions { Items = 100, MaxEventsPerUser = 40 }));
    }

    [Fact]
    public void Other_sizes_are_exact()
    {
        var dataset = DemoDataset.Generate(new DemoDatasetOptions { Users = 20, Items = 1234, MinEventsPerUser = 5, MaxEventsPerUser = 5, SearchFraction = 0 });

        Assert.Equal(1234, dataset.Catalog.Count);
        Assert.Equal(100, dataset.EventCount);
        Assert.Equal(0, dataset.ComputeStatistics().SearchEvents);
    }

    [Fact]
    public void History_aware_predictor_beats_popularity_for_recommendation()
    {
        var split = DefaultSplit.Value;
        var predictors = new SimplePredictors(split);

        var popularity = SimplePredictors.HitRate(split.Test, predictors.Popularity, 10);
        var transitions = SimplePredictors.HitRate(split.Test, predictors.Transitions, 10);
        output.WriteLine($"HR@10 on all test cases: popularity {popularity:F3}, item-to-item transitions {transitions:F3}");

        Assert.True(transitions > 1.5 * popularity && transitions - popularity > 0.05,
            $"transitions HR@10 {transitions:F3} should clearly beat popularity {popularity:F3}");
    }

    [Fact]
    public void Query_aware_predictor_beats_popularity_for_search_and_history_helps_further()
    {
        var split = DefaultSplit.Value;
        var predictors = new SimplePredictors(split);
        var searchCases = split.Test.Where(c => c.Target.Task == TaskKind.Search).ToList();

        var popularity = SimplePredictors.HitRate(searchCases, predictors.Popularity, 10);
        var query = SimplePredictors.HitRate(searchCases, predictors.QueryOverlap, 10);
        // Several items match a query; which one the user takes depends on their brand preference, so the
        // history should lift the top of the ranking.
        var queryTop3 = SimplePredictors.HitRate(searchCases, predictors.QueryOverlap, 3);
        var queryAndHistoryTop3 = SimplePredictors.HitRate(searchCases, predictors.QueryOverlapAndBrandAffinity, 3);
        output.WriteLine($"{searchCases.Count} search test cases: HR@10 popularity {popularity:F3}, query overlap {query:F3}; " +
                         $"HR@3 query overlap {queryTop3:F3}, query + brand affinity {queryAndHistoryTop3:F3}");

        Assert.True(searchCases.Count > 350, $"expected about half of the 1000 test events to be searches, got {searchCases.Count}");
        Assert.True(query > 2 * popularity && query - popularity > 0.15, $"query HR@10 {query:F3} should clearly beat popularity {popularity:F3}");
        Assert.True(queryAndHistoryTop3 - queryTop3 > 0.025, $"history (brand affinity) should help search: HR@3 {queryAndHistoryTop3:F3} vs {queryTop3:F3}");
    }
}
