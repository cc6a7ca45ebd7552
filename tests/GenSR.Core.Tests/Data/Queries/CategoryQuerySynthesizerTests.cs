
namespace GenSR.Core.Tests.Data.Queries;

public sealed class CategoryQuerySynthesizerTests
{
    private static Item ItemWith(params string[] categories) => new(0, "k", "Kreg 1-1/4\" Pocket Screws, 500-Pack", "A box of screws for the workshop", "Kreg", categories);

    [Theory]
    [InlineData(new[] { "Fasteners", "Screws", "Wood Screws" }, "fasteners screws wood")]
    [InlineData(new[] { "Tapes, Adhesives & Sealants", "Duct Tape" }, "tapes adhesives sealants duct tape")]
    [InlineData(new[] { "Arts and Crafts", "Painting, Drawing & Art Supplies" }, "arts crafts painting drawing art supplies")]
    [InlineData(new[] { "Children's", "Sci-Fi" }, "childrens sci fi")]
    [InlineData(new[] { "LAB & Scientific", "Lab Supplies" }, "lab scientific supplies")]
    public void Query_is_the_distinct_lower_case_category_words_without_stop_words(string[] categories, string expected)
    {
        Assert.Equal(expected, new CategoryQuerySynthesizer().BuildQuery(ItemWith(categories)));
    }

    [Fact]
    public void Root_category_is_dropped_when_named()
    {
        var synthesizer = new CategoryQuerySynthesizer(new QuerySynthesisOptions { RootCategory = "industrial & scientific" });

        Assert.Equal("fasteners screws", synthesizer.BuildQuery(ItemWith("Industrial & Scientific", "Fasteners", "Screws")));
        Assert.Equal("fasteners industrial scientific", synthesizer.BuildQuery(ItemWith("Fasteners", "Industrial & Scientific")));
    }

    [Fact]
    public void Items_without_categories_fall_back_to_capped_title_words_then_description()
    {
        var synthesizer = new CategoryQuerySynthesizer(new QuerySynthesisOptions { MaxFallbackWords = 4 });

        Assert.Equal("kreg 1 4 pocket", synthesizer.BuildQuery(ItemWith()));
        Assert.Equal("box screws workshop", synthesizer.BuildQuery(new Item(0, "k", "", "A box of screws for the workshop", "", [])));
        Assert.Equal("", synthesizer.BuildQuery(new Item(0, "k", "", "", "", [])));
    }

    [Fact]
    public void Custom_stop_words_replace_the_default_list()
    {
        var synthesizer = new CategoryQuerySynthesizer(new QuerySynthesisOptions { StopWords = new HashSet<string> { "screws" } });

        Assert.Equal("fasteners and wood", synthesizer.BuildQuery(ItemWith("Fasteners and Screws", "Wood Screws")));
    }

    [Fact]
    public void Options_are_validated_with_the_option_name()
    {
        Assert.Equal("SearchFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new QuerySynthesisOptions { SearchFraction = -0.1 }).ParamName);
        Assert.Equal("SearchFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new QuerySynthesisOptions { SearchFraction = double.NaN }).ParamName);
        Assert.Equal("MaxFallbackWords", Assert.Throws<ArgumentOutOfRangeException>(() => new QuerySynthesisOptions { MaxFallbackWords = 0 }).ParamName);
        Assert.Equal("StopWords", Assert.Throws<ArgumentNullException>(() => new QuerySynthesisOptions { StopWords = null! }).ParamName);
    }

    private static SrDataset Dataset(int users, int eventsPerUser)
    {
        var items = Enumerable.Range(0, 10).Select(i => new Item(i, $"i{i}", $"Item {i}", "", "", ["Tools", $"Kind {i % 3}"])).ToArray();
        var histories = Enumerable.Range(0, users)
            .Select(u => (IReadOnlyList<SrEvent>)Enumerable.Range(0, eventsPerUser).Select(t => SrEvent.Recommendation(u, (u + t) % 10, t)).ToArray())
            .ToArray();
        return new SrDataset("tools", new ItemCatalog(items), Enumerable.Range(0, users).Select(u => new User(u, $"u{u}")).ToArray(), histories);
    }

    [Fact]
    public void A_seeded_fraction_of_each_users_events_become_search_events_with_the_item_query()
    {
        var dataset = Dataset(users: 400, eventsPerUser: 7);
        var synthesizer = new CategoryQuerySynthesizer();

        var result = synthesizer.Apply(dataset);

        var fraction = (double)result.ComputeStatistics().SearchEvents / result.EventCount;
        Assert.InRange(fraction, 0.47, 0.53);
        for (var u = 0; u < dataset.Users.Count; u++)
        {
            var searches = result.Histories[u].Count(e => e.Task == TaskKind.Search);
            Assert.InRange(searches, 3, 4); // floor(0.5 * 7 + U[0,1)) per user
            for (var t = 0; t < 7; t++)
            {
                var before = dataset.Histories[u][t];
                var after = result.Histories[u][t];
                Assert.Equal((before.UserId, before.ItemId, before.Timestamp), (after.UserId, after.ItemId, after.Timestamp));
                if (after.Task == TaskKind.Search)
                    Assert.Equal(synthesizer.BuildQuery(dataset.Catalog[after.ItemId]), after.Query);
            }
        }
        Assert.Equal("tools kind 0", synthesizer.BuildQuery(dataset.Catalog[0]));
    }

    [Fact]
    public void Same_seed_gives_the_same_choice_and_another_seed_another()
    {
        var dataset = Dataset(users: 50, eventsPerUser: 10);

        var first = new CategoryQuerySynthesizer(new QuerySynthesisOptions { Seed = 5 }).Apply(dataset);
        var second = new CategoryQuerySynthesizer(new QuerySynthesisOptions { Seed = 5 }).Apply(dataset);
        var other = new CategoryQuerySynthesizer(new QuerySynthesisOptions { Seed = 6 }).Apply(dataset);

        Assert.Equal(first.Histories.SelectMany(h => h), second.Histories.SelectMany(h => h));
        Assert.NotEqual(first.Histories.SelectMany(h => h), other.Histories.SelectMany(h => h));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 60)]
    public void Fraction_zero_and_one_are_exact(double fraction, int expectedSearches)
    {
        var result = new CategoryQuerySynthesizer(new QuerySynthesisOptions { SearchFraction = fraction }).Apply(Dataset(users: 6, eventsPerUser: 10));

        Assert.Equal(expectedSearches, result.ComputeStatistics().SearchEvents);
    }

    [Fact]
    public void Existing_search_events_are_kept_and_count_towards_the_fraction()
    {
        var items = new[] { new Item(0, "a", "A", "", "", ["Tools", "Saws"]), new Item(1, "b", "B", "", "", ["Tools", "Drills"]) };
        var real = SrEvent.Search(0, 1, "cordless drill", 5);
        var history = new[] { real, SrEvent.Search(0, 0, "hand saw", 6), SrEvent.Recommendation(0, 0, 7), SrEvent.Recommendation(0, 1, 8) };
        var dataset = new SrDataset("log", new ItemCatalog(items), [new User(0, "u")], [history]);

        var result = new CategoryQuerySynthesizer(new QuerySynthesisOptions { SearchFraction = 0.5 }).Apply(dataset);

        Assert.Equal(history, result.Histories[0]); // 2 of 4 are searches already: nothing to add
    }
}
