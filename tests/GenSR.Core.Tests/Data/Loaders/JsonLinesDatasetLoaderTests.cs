
namespace GenSR.Core.Tests.Data.Loaders;

public sealed class JsonLinesDatasetLoaderTests
{
    private const string Items = """
        {"item": "shoe-1", "title": "Red Running Shoe", "brand": "Stride", "categories": ["Shoes", "Running"], "colour": "red"}
        {"item": "shoe-2", "title": "Blue Trail Shoe", "categories": "Shoes > Trail"}

        {"item": 3, "title": "Never Sold Sock", "description": "wool"}
        """;

    [Fact]
    public void Queries_make_search_events_and_timestamps_order_each_user()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", Items);
        folder.Write("events.jsonl", """
            {"user": "ann", "item": "shoe-2", "ts": 300, "query": "trail shoes"}
            {"user": "bob", "item": "shoe-1", "query": null}
            {"user": "ann", "item": "shoe-1", "ts": 100, "query": ""}
            {"user": "bob", "item": "shoe-2", "ts": 5, "query": "  blue shoe  "}
            {"user": "ann", "item": "shoe-1", "ts": 100, "query": "red shoe", "session": 4}
            """);

        var dataset = new JsonLinesDatasetLoader().Load(folder.Path);

        Assert.Equal(["shoe-1", "shoe-2", "3"], dataset.Catalog.Select(i => i.Key));
        Assert.Equal(["ann", "bob"], dataset.Users.Select(u => u.Key));
        var ann = dataset.Histories[0];
        Assert.Equal([100L, 100L, 300L], ann.Select(e => e.Timestamp!.Value)); // sorted, ties in file order
        Assert.Equal([TaskKind.Recommendation, TaskKind.Search, TaskKind.Search], ann.Select(e => e.Task));
        Assert.Equal([null, "red shoe", "trail shoes"], ann.Select(e => e.Query));
        var bob = dataset.Histories[1];
        Assert.Equal([0, 1], bob.Select(e => e.ItemId)); // one event without ts: file order kept
        Assert.Equal("blue shoe", bob[1].Query);
        Assert.Equal(["Shoes", "Running"], dataset.Catalog[0].Categories);
        Assert.Equal(["Shoes", "Trail"], dataset.Catalog[1].Categories);
        Assert.Equal("Stride", dataset.Catalog[0].Brand);
        Assert.Equal("wool", dataset.Catalog[2].Description);
        Assert.Equal(3, dataset.ComputeStatistics().SearchEvents);
    }

    [Theory]
    [InlineData("{\"user\": \"a\", \"item\": \"shoe-1\"}\n{\"user\": \"a\", \"item\": \"shoe-1\"", "line 2", "invalid JSON")]
    [InlineData("{\"user\": \"a\", \"item\": \"shoe-1\", \"ts\": \"yesterday\"}", "line 1", "field \"ts\" is a string")]
    [InlineData("{\"user\": \"a\", \"item\": \"shoe-1\", \"ts\": 1.5}", "line 1", "field \"ts\" is a number")]
    [InlineData("{\"user\": \"a\", \"item\": \"shoe-1\", \"query\": 7}", "line 1", "field \"query\" is a number")]
    [InlineData("\n\n{\"user\": \"a\", \"item\": \"boot-9\"}", "line 3", "item \"boot-9\" (user \"a\") is not in items.jsonl")]
    [InlineData("{\"item\": \"shoe-1\"}", "line 1", "field \"user\" is missing")]
    [InlineData("{\"user\": false, \"item\": \"shoe-1\"}", "line 1", "field \"user\" is a boolean")]
    [InlineData("[\"a\", \"shoe-1\"]", "line 1", "the line holds an array")]
    public void Malformed_event_lines_name_file_and_line(string events, string location, string problem)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", Items);
        folder.Write("events.jsonl", events);

        var ex = Assert.Throws<DatasetFormatException>(() => new JsonLinesDatasetLoader().Load(folder.Path));

        Assert.EndsWith("events.jsonl", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("{\"title\": \"x\"}", "line 1", "field \"item\" is missing")]
    [InlineData("{\"item\": \"a\", \"title\": [\"x\"]}", "line 1", "field \"title\" is an array")]
    [InlineData("{\"item\": \"a\", \"categories\": {\"x\": 1}}", "line 1", "field \"categories\" is an object")]
    [InlineData("{\"item\": \"a\"}\n{\"item\": \"a\"}", "line 2", "item \"a\" appears twice")]
    [InlineData("{\"item\": \"a\", \"title\": \"tru", "line 1", "invalid JSON")]
    public void Malformed_item_lines_name_file_and_line(string items, string location, string problem)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", items);
        folder.Write("events.jsonl", "{\"user\": \"u\", \"item\": \"a\"}");

        var ex = Assert.Throws<DatasetFormatException>(() => new JsonLinesDatasetLoader().Load(folder.Path));

        Assert.EndsWith("items.jsonl", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", Items);
        byte[] bytes = [.. "{\"user\": \"a\", \"item\": \"shoe-1\"}\n{\"user\": \""u8, 0xE9, .. "\", \"item\": \"shoe-1\"}\n"u8];
        folder.WriteBytes("events.jsonl", bytes);

        var ex = Assert.Throws<DatasetFormatException>(() => new JsonLinesDatasetLoader().Load(folder.Path));

        Assert.EndsWith("events.jsonl", ex.File);
        Assert.Equal("line 2", ex.Location);
    }

    [Fact]
    public void Empty_events_file_is_reported_by_name()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", Items);
        folder.Write("events.jsonl", "");

        var ex = Assert.Throws<DatasetFormatException>(() => new JsonLinesDatasetLoader().Load(folder.Path));

        Assert.EndsWith("events.jsonl", ex.File);
        Assert.Contains("the file is empty", ex.Message);
    }

    [Fact]
    public void Missing_items_file_is_reported_by_name()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("events.jsonl", "{\"user\": \"u\", \"item\": \"a\"}");

        var ex = Assert.Throws<DatasetFormatException>(() => new JsonLinesDatasetLoader().Load(folder.Path));

        Assert.EndsWith("items.jsonl", ex.File);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Files_with_other_names_load_through_the_explicit_overload()
    {
        using var folder = new TempDatasetFolder();
        var items = folder.Write("catalogue.jsonl", Items);
        var events = folder.Write("log.jsonl", "{\"user\": 1, \"item\": 3, \"ts\": 9}");

        var dataset = new JsonLinesDatasetLoader().Load(events, items, "shop");

        Assert.Equal("shop", dataset.Name);
        Assert.Equal("1", dataset.Users.Single().Key);
        Assert.Equal(2, dataset.Histories[0].Single().ItemId);
    }
}
