using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace GenSR.Core.Tests.Identifiers;

public class IdentifierTableTests
{
    private static IdentifierTable Sample() => new(new[]
    {
        new[] { 0, 1, 2 },
        new[] { 0, 1, 3 },
        new[] { 1, 0 },
        new[] { 2, 2, 0 },
    }, new[] { 3, 3, 4 });

    [Fact]
    public void Knows_levels_offsets_and_token_count()
    {
        var t = Sample();
        Assert.Equal(4, t.ItemCount);
        Assert.Equal(3, t.MaxLength);
        Assert.Equal(new[] { 3, 3, 4 }, t.LevelSizes);
        Assert.Equal(10, t.TokenCount);
        Assert.Equal(0, t.LevelOffset(0));
        Assert.Equal(3, t.LevelOffset(1));
        Assert.Equal(6, t.LevelOffset(2));
        Assert.False(t.IsFixedLength);
    }

    [Fact]
    public void Maps_items_to_tokens_and_back()
    {
        var t = Sample();
        Assert.Equal(new[] { 100, 104, 109 }, t.ToTokenIds(1, tokenOffset: 100));
        Assert.True(t.TryGetItemFromTokens(new[] { 100, 104, 109 }, 100, out var item));
        Assert.Equal(1, item);
        Assert.True(t.TryGetItemFromTokens(new[] { 101, 103 }, 100, out item));
        Assert.Equal(2, item);
        // A level-1 token at level 0 is not a valid identifier.
        Assert.False(t.TryGetItemFromTokens(new[] { 104, 104, 109 }, 100, out _));
        Assert.False(t.TryGetItemFromTokens(new[] { 100, 104 }, 100, out _));
        Assert.Equal("<a_0><b_1><c_3>", t.Format(1));
    }

    [Fact]
    public void Collisions_are_rejected_naming_every_item()
    {
        var ex = Assert.Throws<IdentifierCollisionException>(() => new IdentifierTable(new[]
        {
            new[] { 0, 1 }, new[] { 1, 1 }, new[] { 0, 1 }, new[] { 1, 1 }, new[] { 0, 1 },
        }));
        Assert.Equal(2, ex.Groups.Count);
        Assert.Equal(new[] { 0, 2, 4 }, ex.Groups.Single(g => g.Contains(0)));
        Assert.Contains("items 0, 2, 4 share <a_0><b_1>", ex.Message);
        Assert.Contains("items 1, 3 share <a_1><b_1>", ex.Message);
    }

    [Fact]
    public void Codes_outside_their_level_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new IdentifierTable(new[] { new[] { 0, 5 } }, new[] { 2, 4 }));
        Assert.Contains("Item 0: code 5 at level 1 is outside [0, 4)", ex.Message);
        Assert.Throws<ArgumentException>(() => new IdentifierTable(new[] { Array.Empty<int>() }));
        Assert.Throws<ArgumentException>(() => new IdentifierTable(new[] { new[] { -1 } }));
    }

    [Fact]
    public void Json_round_trip_is_exact()
    {
        var t = Sample();
        using var ms = new MemoryStream();
        t.Save(ms);
        ms.Position = 0;
        var back = IdentifierTable.Load(ms);
        Assert.Equal(t.LevelSizes, back.LevelSizes);
        for (var i = 0; i < t.ItemCount; i++) Assert.Equal(t.GetCodes(i), back.GetCodes(i));
    }

    [Fact]
    public void Loading_a_wrong_version_or_shape_says_what_is_wrong()
    {
        static IdentifierTable Parse(string json) => IdentifierTable.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "ids.json");
        Assert.Contains("version 7 is not supported", Assert.Throws<InvalidDataException>(() =>
            Parse("""{"format":"gensr-identifiers","version":7,"levelSizes":[2],"codes":[[0]]}""")).Message);
        Assert.Contains("ids.json", Assert.Throws<InvalidDataException>(() => Parse("{\"format\":")).Message);
        Assert.Contains("codes[1] must be an array", Assert.Throws<InvalidDataException>(() =>
            Parse("""{"format":"gensr-identifiers","version":1,"levelSizes":[2],"codes":[[0], 1]}""")).Message);
        Assert.Contains("share", Assert.Throws<InvalidDataException>(() =>
            Parse("""{"format":"gensr-identifiers","version":1,"levelSizes":[2],"codes":[[0],[0]]}""")).Message);
    }

    [Property(MaxTest = 60)]
    public Property Every_item_round_trips_through_tokens(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var levels = rng.Next(1, 5);
        var sizes = Enumerable.Range(0, levels).Select(_ => rng.Next(2, 9)).ToArray();
        var set = new HashSet<string>();
        var codes = new List<int[]>();
        for (var i = 0; i < 40; i++)
        {
            var c = sizes.Select(s => rng.Next(s)).ToArray();
            if (set.Add(string.Join(",", c))) codes.Add(c);
        }
        var table = new IdentifierTable(codes, sizes);
        var offset = rng.Next(0, 1000);
        return Enumerable.Range(0, table.ItemCount).All(i =>
            table.TryGetItemFromTokens(table.ToTokenIds(i, offset), offset, out var back) && back == i
            && table.ToTokenIds(i, offset).All(tok => tok >= offset && tok < offset + table.TokenCount)).ToProperty();
    }
}

public sealed class IdentifierTableJsonTests
{
    [Theory]
    [InlineData("\"1\"", "\"version\" must be an integer")]
    [InlineData("1.5", "\"version\" must be an integer")]
    [InlineData("null", "\"version\" must be an integer")]
    [InlineData("99", "version 99 is not supported")]
    public void A_malformed_version_is_named(string version, string expected)
    {
        var json = new IdentifierTable([[0, 1], [1, 0]], [2, 2]).ToJson();
        json["version"] = System.Text.Json.Nodes.JsonNode.Parse(version);
        var e = Assert.Throws<InvalidDataException>(() => IdentifierTable.FromJson(json, "ids.json"));
        Assert.Contains("ids.json", e.Message);
        Assert.Contains(expected, e.Message);
    }
}

/// <summary>The table's file and its object in gensr.json: read and written through generated metadata, in the same shape as before.</summary>
public sealed class IdentifierTableFormatTests
{
    // As tables have always been stored: compact, these names in this order, items of different lengths.
    private const string Pinned = """{"format":"gensr-identifiers","version":1,"levelSizes":[2,3,4],"codes":[[0,1],[1,2,3],[0,0],[1]]}""";

    private static IdentifierTable Parse(string json) => IdentifierTable.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "ids.json");

    [Fact]
    public void A_stored_table_is_written_back_as_it_was_read()
    {
        var input = System.Text.Json.Nodes.JsonNode.Parse(Pinned)!;

        var written = IdentifierTable.FromJson(input, "gensr.json").ToJson();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(input, written));
        Assert.Equal(Pinned, written.ToJsonString());

        using var file = new MemoryStream();
        Parse(Pinned).Save(file);
        Assert.Equal(Pinned, System.Text.Encoding.UTF8.GetString(file.ToArray()));
    }

    [Fact]
    public void A_file_with_a_byte_order_mark_still_loads()
    {
        var bytes = System.Text.Encoding.UTF8.Preamble.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(Pinned)).ToArray();
        Assert.Equal(4, IdentifierTable.Load(new MemoryStream(bytes), "ids.json").ItemCount);
    }

    [Theory]
    [InlineData("""{"format":"gensr-identifiers","version":1,"levelSizes":[2],"codes":[[0],[1,"x"]]}""", "ids.json: codes[1][1]: expected an integer.")]
    [InlineData("""{"format":"gensr-identifiers","version":1,"levelSizes":{},"codes":[[0]]}""", "ids.json: levelSizes: expected an array.")]
    [InlineData("""{"format":"gensr-identifiers","version":1,"levelSizes":[2],"codes":[[0],null]}""", "ids.json: codes[1] must be an array of integers.")]
    [InlineData("""{"format":"gensr-identifiers","version":1,"levelSizes":[2]}""", "ids.json: \"codes\" must be an array.")]
    [InlineData("""{"format":"gensr-identifiers","version":1,"format":"gensr-identifiers","levelSizes":[2],"codes":[[0]]}""", "ids.json: ")]
    [InlineData("""{"version":1,"levelSizes":[2],"codes":[[0]]}""", "ids.json: expected \"format\": \"gensr-identifiers\".")]
    [InlineData("[1]", "ids.json: expected a JSON object.")]
    public void A_bad_file_is_refused_naming_the_field(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
