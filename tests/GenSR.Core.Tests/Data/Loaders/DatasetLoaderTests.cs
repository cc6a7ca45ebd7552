
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

/// <summary>A dataset file that is a link to a device file fails fast and names the file, for every format.</summary>
public sealed class DeviceFileTests
{
    [Theory]
    [InlineData("movielens", "u.data")]
    [InlineData("movielens", "u.item")]
    [InlineData("amazon", "Tiny.inter.json")]
    [InlineData("amazon", "Tiny.item.json")]
    [InlineData("jsonl", "events.jsonl")]
    [InlineData("jsonl", "items.jsonl")]
    public void A_link_to_dev_zero_is_not_read_forever(string format, string linked)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var folder = new TempDatasetFolder();
        switch (format)
        {
            case "movielens":
                folder.Write("u.data", "1\t1\t5\t881250949\n1\t2\t3\t881250950\n");
                folder.Write("u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n2|GoldenEye (1995)|01-Jan-1995||http://x|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0\n");
                break;
            case "amazon":
                folder.Write("Tiny.inter.json", "{\"u1\": [\"0\", \"1\"]}");
                folder.Write("Tiny.item.json", "{\"0\": {\"title\": \"A\"}, \"1\": {\"title\": \"B\"}}");
                break;
            default:
                folder.Write("events.jsonl", "{\"user\": \"u1\", \"item\": \"a\"}\n");
                folder.Write("items.jsonl", "{\"item\": \"a\", \"title\": \"A\"}\n");
                break;
        }
        var path = System.IO.Path.Combine(folder.Path, linked);
        File.Delete(path);
        File.CreateSymbolicLink(path, "/dev/zero");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<GenSR.Core.DatasetFormatException>(() => GenSR.Core.DatasetLoader.Load(folder.Path,
            format switch { "movielens" => GenSR.Core.DatasetFormat.MovieLens, "amazon" => GenSR.Core.DatasetFormat.Amazon, _ => GenSR.Core.DatasetFormat.JsonLines }));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.Contains(linked, e.Message);
    }
}

/// <summary>Text that is not valid Unicode is a format error naming the file, in every JSON loader.</summary>
public sealed class InvalidTextTests
{
    public static TheoryData<string, string, byte[]> Cases()
    {
        var data = new TheoryData<string, string, byte[]>();
        byte[] invalidUtf8 = [.. "{\"0\": {\"title\": \"A"u8.ToArray(), 0xC3, 0x28, .. "\"}}"u8.ToArray()];
        var loneSurrogate = "{\"0\": {\"title\": \"A\\ud800B\"}}"u8.ToArray();
        data.Add("amazon", "Tiny.item.json", invalidUtf8);
        data.Add("amazon", "Tiny.item.json", loneSurrogate);
        data.Add("jsonl", "items.jsonl", [.. "{\"item\": \"a\", \"title\": \"A"u8.ToArray(), 0xC3, 0x28, .. "\"}\n"u8.ToArray()]);
        data.Add("jsonl", "items.jsonl", "{\"item\": \"a\", \"title\": \"A\\ud800B\"}\n"u8.ToArray());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_text_names_the_file(string format, string file, byte[] bytes)
    {
        using var folder = new TempDatasetFolder();
        if (format == "amazon")
        {
            folder.Write("Tiny.inter.json", "{\"u1\": [\"0\"]}");
        }
        else
        {
            folder.Write("events.jsonl", "{\"user\": \"u1\", \"item\": \"a\"}\n");
        }
        folder.WriteBytes(file, bytes);
        var e = Assert.Throws<GenSR.Core.DatasetFormatException>(() => GenSR.Core.DatasetLoader.Load(folder.Path,
            format == "amazon" ? GenSR.Core.DatasetFormat.Amazon : GenSR.Core.DatasetFormat.JsonLines));
        Assert.Contains(file, e.Message);
    }
}
