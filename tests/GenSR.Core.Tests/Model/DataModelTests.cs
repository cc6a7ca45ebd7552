
namespace GenSR.Core.Tests.Model;

public class DataModelTests
{
    private static Item MakeItem(int id, string key, string title = "t") => new(id, key, title, "", "Acme", new[] { "Audio", "Headphones" });

    [Fact]
    public void Catalog_requires_dense_ids_and_unique_keys()
    {
        Assert.Contains("position 1 holds id 2", Assert.Throws<ArgumentException>(() => new ItemCatalog(new[] { MakeItem(0, "a"), MakeItem(2, "b") })).Message);
        Assert.Contains("\"a\" appears twice", Assert.Throws<ArgumentException>(() => new ItemCatalog(new[] { MakeItem(0, "a"), MakeItem(1, "a") })).Message);
        var c = new ItemCatalog(new[] { MakeItem(0, "a"), MakeItem(1, "b") });
        Assert.Equal(1, c.GetByKey("b").Id);
        Assert.False(c.TryGetByKey("zz", out _));
        Assert.Contains("No item has key \"zz\"", Assert.Throws<ArgumentException>(() => c.GetByKey("zz")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => c[2]);
    }

    [Fact]
    public void Item_text_joins_title_brand_and_categories()
    {
        Assert.Equal("Wireless Headphones Acme Audio Headphones", MakeItem(0, "a", "Wireless Headphones").Text);
        Assert.Equal("Acme Audio Headphones", MakeItem(0, "a", "").Text);
    }

    [Fact]
    public void Dataset_validates_events_and_computes_statistics()
    {
        var catalog = new ItemCatalog(new[] { MakeItem(0, "a"), MakeItem(1, "b", ""), MakeItem(2, "c") });
        var users = new[] { new User(0, "u0"), new User(1, "u1") };
        var histories = new IReadOnlyList<SrEvent>[]
        {
            new[] { SrEvent.Recommendation(0, 0), SrEvent.Search(0, 1, "audio headphones"), SrEvent.Recommendation(0, 2) },
            new[] { SrEvent.Recommendation(1, 2) },
        };
        var ds = new SrDataset("toy", catalog, users, histories);
        var s = ds.ComputeStatistics();
        Assert.Equal(new DatasetStatistics(2, 3, 4, 1, 2.0, 1), s);
        Assert.Contains("search_events=1", s.ToString());

        Assert.Contains("names item 7", Assert.Throws<ArgumentException>(() =>
            new SrDataset("bad", catalog, users, new IReadOnlyList<SrEvent>[] { new[] { SrEvent.Recommendation(0, 7) }, Array.Empty<SrEvent>() })).Message);
        Assert.Contains("names user 1", Assert.Throws<ArgumentException>(() =>
            new SrDataset("bad", catalog, users, new IReadOnlyList<SrEvent>[] { new[] { SrEvent.Recommendation(1, 0) }, Array.Empty<SrEvent>() })).Message);
        Assert.Contains("search event without a query", Assert.Throws<ArgumentException>(() =>
            new SrDataset("bad", catalog, users, new IReadOnlyList<SrEvent>[] { new[] { new SrEvent(0, 0, null, TaskKind.Search, " ") }, Array.Empty<SrEvent>() })).Message);
    }
}
