using System.Text;
using System.Text.Json;

namespace GenSR.Core.Tests.Data.Loaders;

public sealed class JsonObjectRecordsTests
{
    // Buffers from smaller than one token to larger than the file: records, keys and escapes then span reads at every offset.
    public static TheoryData<int> BufferSizes => [4, 5, 7, 13, 64, JsonObjectRecords.DefaultBufferSize];

    private static List<(int Number, string Key, string Raw)> ReadAll(string path, int bufferSize)
    {
        var records = new List<(int, string, string)>();
        JsonObjectRecords.Read(path, "an object", (n, key, value) => records.Add((n, key, value.GetRawText())), bufferSize: bufferSize);
        return records;
    }

    [Theory]
    [MemberData(nameof(BufferSizes))]
    public void Every_buffer_size_reads_the_records_a_whole_document_holds(int bufferSize)
    {
        var random = new Random(7);
        var root = new Dictionary<string, object>();
        for (var u = 0; u < 300; u++)
        {
            // Keys with escapes and non-ASCII text, values of every shape and some longer than the smaller buffers.
            var key = u % 7 == 0 ? $"u\"{u}\\é" : $"user-{u}";
            root[key] = (u % 4) switch
            {
                0 => Enumerable.Range(0, random.Next(0, 40)).Select(i => $"i{random.Next(1000)}").ToArray(),
                1 => new Dictionary<string, object> { ["title"] = new string('x', random.Next(0, 200)) + "ü", ["categories"] = new[] { "A", "B" } },
                2 => random.Next(),
                _ => new object[] { 1, "two", new[] { 3 }, true },
            };
        }
        using var folder = new TempDatasetFolder();
        var path = folder.Write("x.json", " \n" + JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true }) + "\n\t ");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var expected = document.RootElement.EnumerateObject().Select((p, i) => (i + 1, p.Name, p.Value.GetRawText())).ToList();

        var records = ReadAll(path, bufferSize);

        Assert.Equal(expected, records);
    }

    [Theory]
    [MemberData(nameof(BufferSizes))]
    public void A_byte_order_mark_is_skipped(int bufferSize)
    {
        using var folder = new TempDatasetFolder();
        var path = folder.WriteBytes("x.json", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"a": [1], "b": {"c": 2}}""")]);

        Assert.Equal([(1, "a", "[1]"), (2, "b", """{"c": 2}""")], ReadAll(path, bufferSize));
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData(" \n\t ", "the file is empty")]
    [InlineData("[1, 2]", "the file holds an array")]
    [InlineData("\"text\"", "the file holds a string")]
    [InlineData("{\"a\": 1} x", "invalid JSON")]
    [InlineData("{\"a\": 1} {\"b\": 2}", "invalid JSON")]
    [InlineData("{\"a\": 1,}", "invalid JSON")]
    [InlineData("{\"a\": [1, 2}", "invalid JSON")]
    [InlineData("{\"a\": 1", "invalid JSON")]
    [InlineData("{\"a\": /* note */ 1}", "invalid JSON")]
    public void Malformed_files_are_format_errors_naming_the_file(string text, string problem)
    {
        using var folder = new TempDatasetFolder();
        var path = folder.Write("x.json", text);
        foreach (var bufferSize in new[] { 4, 64 })
        {
            var ex = Assert.Throws<DatasetFormatException>(() => ReadAll(path, bufferSize));
            Assert.Equal(path, ex.File);
            Assert.Contains(problem, ex.Message);
        }
    }

    [Fact]
    public void An_invalid_json_error_names_the_line_across_buffer_refills()
    {
        using var folder = new TempDatasetFolder();
        var lines = Enumerable.Range(0, 50).Select(i => $"  \"k{i}\": [\"a\", \"b\"],").ToList();
        var path = folder.Write("x.json", "{\n" + string.Join("\n", lines) + "\n  \"bad\": [\"a\" \"b\"]\n}");

        var ex = Assert.Throws<DatasetFormatException>(() => ReadAll(path, 16));

        Assert.StartsWith("line 52,", ex.Location);
    }

    [Fact]
    public void Records_are_handed_over_before_a_later_syntax_error_and_nothing_after_it()
    {
        using var folder = new TempDatasetFolder();
        var path = folder.Write("x.json", """{"a": 1, "b": 2, "c": }""");
        var keys = new List<string>();

        Assert.Throws<DatasetFormatException>(() => JsonObjectRecords.Read(path, "an object", (_, key, _) => keys.Add(key), bufferSize: 4));

        Assert.Equal(["a", "b"], keys);
    }

    [Fact]
    public void A_key_with_invalid_utf8_is_named_by_its_record_number()
    {
        using var folder = new TempDatasetFolder();
        var path = folder.WriteBytes("x.json", [.. Encoding.UTF8.GetBytes("{\"a\": 1, \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\": 2}")]);

        var ex = Assert.Throws<DatasetFormatException>(() => ReadAll(path, 8));

        Assert.Equal("record 2", ex.Location);
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public void Cancellation_stops_between_records()
    {
        using var folder = new TempDatasetFolder();
        var path = folder.Write("x.json", """{"a": 1}""");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => JsonObjectRecords.Read(path, "an object", (_, _, _) => { }, cancelled.Token));
    }
}
