
namespace GenSR.Core.Tests.Data.Loaders;

public sealed class AmazonDatasetLoaderTests
{
    private const string Items = """
        {
          "10": {"title": "Kreg Pocket Hole Screws &amp; Washers", "description": "500 &quot;coarse&quot; screws", "brand": "Kreg", "categories": "Industrial & Scientific,Fasteners,Screws,Wood Screws", "price": 9.5},
          "11": {"title": "Hot Stuff Super Glue", "description": "", "brand": "Satellite City", "categories": "Industrial & Scientific,Tapes, Adhesives & Sealants,Cyanoacrylate Adhesives"},
          "12": {"title": "Never Bought Caliper", "description": "unused", "brand": "Mitutoyo", "categories": "Industrial & Scientific,Test, Measure & Inspect"}
        }
        """;

    private const string Interactions = """{"7": [11, 10], "3": ["10", "11", 10]}""";

    [Fact]
    public void Loads_items_in_file_order_users_in_file_order_and_chronological_events()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("Tools.item.json", Items);
        folder.Write("Tools.inter.json", Interactions);

        var dataset = new AmazonDatasetLoader().Load(folder.Path);

        Assert.Equal("Tools", dataset.Name);
        Assert.Equal(["10", "11", "12"], dataset.Catalog.Select(i => i.Key));
        Assert.Equal([0, 1, 2], dataset.Catalog.Select(i => i.Id));
        Assert.Equal(["7", "3"], dataset.Users.Select(u => u.Key));
        Assert.Equal([1, 0], dataset.Histories[0].Select(e => e.ItemId));
        Assert.Equal([0, 1, 0], dataset.Histories[1].Select(e => e.ItemId));
        Assert.All(dataset.Histories.SelectMany(h => h), e => Assert.Equal(TaskKind.Recommendation, e.Task));
        Assert.Empty(dataset.Warnings);

        var screws = dataset.Catalog.GetByKey("10");
        Assert.Equal("Kreg Pocket Hole Screws & Washers", screws.Title);
        Assert.Equal("500 \"coarse\" screws", screws.Description);
        Assert.Equal("Kreg", screws.Brand);
        Assert.Equal(["Fasteners", "Screws", "Wood Screws"], screws.Categories);
        Assert.Equal(["Tapes, Adhesives & Sealants", "Cyanoacrylate Adhesives"], dataset.Catalog.GetByKey("11").Categories);
        Assert.Equal(["Test, Measure & Inspect"], dataset.Catalog.GetByKey("12").Categories);
    }

    public static TheoryData<string, string, string> CategoryVariants => new()
    {
        // name, categories of item "a", categories of item "b"
        { "comma with root", "\"Industrial & Scientific,Tapes &amp; Glue,Duct Tape\"", "\"Industrial & Scientific,Fasteners,Screws\"" },
        { "comma-space with root", "\"Industrial &amp; Scientific, Tapes &amp; Glue, Duct Tape\"", "\"Industrial & Scientific, Fasteners, Screws\"" },
        { "comma without root", "\"Tapes & Glue,Duct Tape\"", "\"Fasteners,Screws\"" },
        { "comma-space without root", "\"Tapes &amp; Glue, Duct Tape\"", "\"Fasteners, Screws\"" },
        { "greater-than with root", "\"Industrial & Scientific > Tapes & Glue > Duct Tape\"", "\"Industrial & Scientific > Fasteners > Screws\"" },
        { "array of segments", "[\"Industrial & Scientific\", \"Tapes &amp; Glue\", \"Duct Tape\"]", "[\"Industrial & Scientific\", \"Fasteners\", \"Screws\"]" },
        { "array of paths", "[[\"Industrial & Scientific\", \"Tapes & Glue\", \"Duct Tape\"], [\"Industrial & Scientific\", \"Other\"]]", "[[\"Industrial & Scientific\", \"Fasteners\", \"Screws\"]]" },
        { "double-encoded entity", "\"Tapes &amp;amp; Glue,Duct Tape\"", "\"Fasteners,Screws\"" },
    };

    [Theory]
    [MemberData(nameof(CategoryVariants))]
    public void Category_variants_give_the_same_path(string variant, string categoriesA, string categoriesB)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", "{\"a\": {\"title\": \"A\", \"categories\": " + categoriesA + "}, \"b\": {\"title\": \"B\", \"categories\": " + categoriesB + "}}");
        folder.Write("X.inter.json", """{"u": ["a", "b"]}""");

        var dataset = new AmazonDatasetLoader().Load(folder.Path);

        Assert.True(dataset.Catalog.GetByKey("a").Categories.SequenceEqual(["Tapes & Glue", "Duct Tape"]), variant);
        Assert.True(dataset.Catalog.GetByKey("b").Categories.SequenceEqual(["Fasteners", "Screws"]), variant);
    }

    [Fact]
    public void Shared_root_is_kept_when_the_option_says_so()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A", "categories": "Root,Leaf A"}, "b": {"title": "B", "categories": "Root,Leaf B"}}""");
        folder.Write("X.inter.json", """{"u": ["a", "b"]}""");

        var dataset = new AmazonDatasetLoader(new AmazonDatasetLoaderOptions { DropSharedRootCategory = false }).Load(folder.Path);

        Assert.Equal(["Root", "Leaf A"], dataset.Catalog.GetByKey("a").Categories);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_as_in_json_lines()
    {
        using var folder = new TempDatasetFolder();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        folder.WriteBytes("X.item.json", [.. bom, .. "{\"a\": {\"title\": \"A\"}, \"b\": {\"title\": \"B\"}}"u8.ToArray()]);
        folder.WriteBytes("X.inter.json", [.. bom, .. "{\"u\": [\"a\", \"b\"]}"u8.ToArray()]);
        var dataset = new AmazonDatasetLoader().Load(folder.Path);
        Assert.Equal(2, dataset.Catalog.Count);
        Assert.Equal(2, dataset.Histories[0].Count);
    }

    [Fact]
    public void A_record_of_the_wrong_kind_holding_invalid_utf8_is_refused_with_a_dataset_error()
    {
        // Found by the mutation property: the message quoted the value's raw text, which System.Text.Json only checks
        // for UTF-8 when it is read, so the loader threw InvalidOperationException instead of naming the record.
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A"}}""");
        folder.WriteBytes("X.inter.json", [.. "{\"u\": \"x"u8.ToArray(), 0xDD, .. "y\"}"u8.ToArray()]);

        var error = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));
        Assert.Contains("record \"u\"", error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
        Assert.Contains("expected a list of item keys", error.Message);
    }

    [Fact]
    public void Empty_and_missing_titles_are_tolerated_and_reported()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": ""}, "b": {"brand": "B"}, "c": {"title": "Fine", "description": ["two", "parts"]}}""");
        folder.Write("X.inter.json", """{"u": ["a", "b", "c"]}""");

        var dataset = new AmazonDatasetLoader().Load(folder.Path);

        Assert.Equal("two parts", dataset.Catalog.GetByKey("c").Description);
        var warning = Assert.Single(dataset.Warnings);
        Assert.Contains("2 items have an empty title", warning);
        Assert.Contains("\"a\"", warning);
        Assert.Contains("\"b\"", warning);
        Assert.Equal(2, dataset.ComputeStatistics().ItemsWithEmptyTitle);
    }

    [Fact]
    public void Interacted_item_missing_from_the_item_file_names_user_and_item()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A"}}""");
        folder.Write("X.inter.json", """{"u1": ["a"], "u2": ["a", "zz"]}""");

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith("X.inter.json", ex.File);
        Assert.Equal("record \"u2\"", ex.Location);
        Assert.Contains("\"zz\"", ex.Message);
        Assert.Contains("X.item.json", ex.Message);
    }

    [Fact]
    public void Truncated_json_names_file_and_line()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", "{\n  \"a\": {\"title\": \"A\"},\n  \"b\": {\"title\": \"B");
        folder.Write("X.inter.json", """{"u": ["a"]}""");

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith("X.item.json", ex.File);
        Assert.StartsWith("line 3", ex.Location);
        Assert.Contains("invalid JSON", ex.Message);
        Assert.Contains("X.item.json", ex.Message);
    }

    [Theory]
    [InlineData("""{"a": {"title": 42}}""", "record \"a\"", "field \"title\" is a number")]
    [InlineData("""{"a": {"title": "A", "brand": ["x"]}}""", "record \"a\"", "field \"brand\" is an array")]
    [InlineData("""{"a": {"title": "A", "categories": 7}}""", "record \"a\"", "field \"categories\" is a number")]
    [InlineData("""{"a": {"title": "A", "categories": [1]}}""", "record \"a\"", "field \"categories\"[0] is a number")]
    [InlineData("""{"a": {"title": "A", "categories": ["x", ["y"]]}}""", "record \"a\"", "mixes strings and arrays")]
    [InlineData("""{"a": "just a title"}""", "record \"a\"", "expected an object")]
    public void Wrong_types_in_the_item_file_name_the_record_and_field(string items, string location, string problem)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", items);
        folder.Write("X.inter.json", """{"u": ["a"]}""");

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith("X.item.json", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("""{"u": "a"}""", "record \"u\"", "expected a list of item keys")]
    [InlineData("""{"u": ["a", true]}""", "record \"u\"", "entry 1 is a boolean")]
    [InlineData("""{"u": ["a", 1.5]}""", "record \"u\"", "entry 1 is a number")]
    [InlineData("""{"u": ["a"], "u": ["a"]}""", "record \"u\"", "appears twice")]
    [InlineData("""["a", "b"]""", null, "expected one JSON object mapping each user key")]
    [InlineData("""{}""", null, "holds no users")]
    public void Wrong_shapes_in_the_interaction_file_name_the_record(string interactions, string? location, string problem)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A"}}""");
        folder.Write("X.inter.json", interactions);

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith("X.inter.json", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("X.inter.json")]
    [InlineData("X.item.json")]
    public void Empty_files_are_reported_by_name(string emptyFile)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A"}}""");
        folder.Write("X.inter.json", """{"u": ["a"]}""");
        folder.Write(emptyFile, "  \n");

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith(emptyFile, ex.File);
        Assert.Contains("the file is empty", ex.Message);
    }

    [Fact]
    public void Missing_item_file_is_reported_by_name()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.inter.json", """{"u": ["a"]}""");

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));

        Assert.EndsWith("X.item.json", ex.File);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Several_datasets_in_one_folder_need_a_name()
    {
        using var folder = new TempDatasetFolder();
        foreach (var name in new[] { "A", "B" })
        {
            folder.Write($"{name}.item.json", """{"a": {"title": "A"}}""");
            folder.Write($"{name}.inter.json", $$"""{"{{name}}-user": ["a"]}""");
        }

        var ex = Assert.Throws<DatasetFormatException>(() => new AmazonDatasetLoader().Load(folder.Path));
        Assert.Contains("A, B", ex.Message);

        var dataset = new AmazonDatasetLoader(new AmazonDatasetLoaderOptions { DatasetName = "B" }).Load(folder.Path);
        Assert.Equal("B-user", dataset.Users.Single().Key);
    }

    [Fact]
    public void Dataset_name_option_rejects_paths()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AmazonDatasetLoaderOptions { DatasetName = "../x" });
        Assert.Equal(nameof(AmazonDatasetLoaderOptions.DatasetName), ex.ParamName);
    }

    [Fact]
    public void Users_without_events_are_kept_and_reported()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("X.item.json", """{"a": {"title": "A"}}""");
        folder.Write("X.inter.json", """{"u": ["a"], "idle": []}""");

        var dataset = new AmazonDatasetLoader().Load(folder.Path);

        Assert.Empty(dataset.Histories[1]);
        Assert.Contains(dataset.Warnings, w => w.Contains("1 user has no events") && w.Contains("\"idle\""));
    }

    [Fact]
    public void Files_larger_than_the_read_buffer_load_every_record_in_order()
    {
        using var folder = new TempDatasetFolder();
        var items = string.Join(", ", Enumerable.Range(0, 500).Select(i => $"\"i{i}\": {{\"title\": \"Item {i} {new string('x', 100)}\", \"categories\": \"A,B{i % 5}\"}}"));
        folder.Write("X.item.json", "{" + items + "}");
        var users = string.Join(",\n", Enumerable.Range(0, 3000).Select(u => $"\"u{u}\": [{string.Join(", ", Enumerable.Range(0, u % 9 + 1).Select(k => $"\"i{(u * 7 + k) % 500}\""))}]"));
        folder.Write("X.inter.json", "{\n" + users + "\n}");
        Assert.True(new FileInfo(Path.Combine(folder.Path, "X.inter.json")).Length > JsonObjectRecords.DefaultBufferSize);

        var dataset = new AmazonDatasetLoader().Load(folder.Path);

        Assert.Equal(500, dataset.Catalog.Count);
        Assert.Equal("i499", dataset.Catalog[499].Key);
        Assert.Equal(3000, dataset.Users.Count);
        Assert.Equal("u2999", dataset.Users[2999].Key);
        Assert.Equal(Enumerable.Range(0, 3000).Sum(u => u % 9 + 1), dataset.EventCount);
        Assert.Equal(Enumerable.Range(0, 2999 % 9 + 1).Select(k => (2999 * 7 + k) % 500), dataset.Histories[2999].Select(e => e.ItemId));
    }
}
