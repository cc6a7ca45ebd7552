using GenSR.Core.Data;
using GenSR.Core.Data.Loaders;

namespace GenSR.Core.Tests.Data.Loaders;

public sealed class DatasetLoaderTests
{
    [Theory]
    [InlineData("amazon", DatasetFormat.Amazon)]
    [InlineData("MovieLens", DatasetFormat.MovieLens)]
    [InlineData("jsonl", DatasetFormat.JsonLines)]
    [InlineData(" JSONL ", DatasetFormat.JsonLines)]
    public void Parse_accepts_the_command_line_names(string name, DatasetFormat expected)
    {
        Assert.Equal(expected, DatasetFormat.Parse(name));
        Assert.Equal(expected, DatasetFormat.Parse(expected.Name));
    }

    [Fact]
    public void Parse_rejects_unknown_names_listing_the_accepted_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetFormat.Parse("csv"));
        Assert.Contains("amazon, movielens, jsonl", ex.Message);
    }

    [Fact]
    public void DetectFormat_tells_each_format_from_its_marker_file()
    {
        using var amazon = new TempDatasetFolder();
        amazon.Write("Toys.inter.json", "{}");
        using var movieLens = new TempDatasetFolder();
        movieLens.Write("u.data", "");
        using var jsonLines = new TempDatasetFolder();
        jsonLines.Write("events.jsonl", "");

        Assert.Equal(DatasetFormat.Amazon, DatasetLoader.DetectFormat(amazon.Path));
        Assert.Equal(DatasetFormat.MovieLens, DatasetLoader.DetectFormat(movieLens.Path));
        Assert.Equal(DatasetFormat.JsonLines, DatasetLoader.DetectFormat(jsonLines.Path));
    }

    [Fact]
    public void DetectFormat_explains_a_folder_it_cannot_read()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("ratings.csv", "");

        var ex = Assert.Throws<DatasetFormatException>(() => DatasetLoader.DetectFormat(folder.Path));

        Assert.Equal(folder.Path, ex.File);
        Assert.Contains("u.data", ex.Message);
        Assert.Contains(".inter.json", ex.Message);
        Assert.Contains("events.jsonl", ex.Message);
        Assert.Throws<DatasetFormatException>(() => DatasetLoader.DetectFormat(Path.Combine(folder.Path, "absent")));
    }

    [Fact]
    public void Load_dispatches_on_the_detected_format()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("items.jsonl", "{\"item\": \"a\", \"title\": \"A\"}");
        folder.Write("events.jsonl", "{\"user\": \"u\", \"item\": \"a\", \"query\": \"q\"}");

        var dataset = DatasetLoader.Load(folder.Path);

        Assert.Equal(TaskKind.Search, dataset.Histories[0][0].Task);
        Assert.IsType<JsonLinesDatasetLoader>(DatasetLoader.Create(DatasetFormat.JsonLines));
    }
}
