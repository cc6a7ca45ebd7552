using System.Text;

namespace GenSR.Core.Tests.Data.Loaders;

public sealed class MovieLensLoaderTests
{
    private static string Flags(params int[] on) =>
        string.Join('|', Enumerable.Range(0, 19).Select(g => on.Contains(g) ? "1" : "0"));

    private static TempDatasetFolder StandardFolder(string? ratings = null)
    {
        var folder = new TempDatasetFolder();
        var items = $"1|Toy Story (1995)|01-Jan-1995||http://x|{Flags(3, 4, 5)}\n" +
                    $"2|Misérables, Les (1995)|01-Jan-1995||http://y|{Flags(8, 17)}\n" +
                    $"3|unknown||||{Flags(0)}\n";
        folder.WriteBytes("u.item", Encoding.Latin1.GetBytes(items));
        folder.Write("u.data", ratings ?? "10\t2\t4\t900\n2\t1\t5\t500\n10\t1\t3\t800\n2\t3\t1\t400\n10\t3\t2\t800\n");
        return folder;
    }

    [Fact]
    public void Loads_ratings_sorted_by_time_with_stable_ties_and_genres_as_categories()
    {
        using var folder = StandardFolder();

        var dataset = new MovieLensLoader().Load(folder.Path);

        Assert.Equal(["1", "2", "3"], dataset.Catalog.Select(i => i.Key));
        Assert.Equal(["2", "10"], dataset.Users.Select(u => u.Key)); // ascending numeric id, not text order
        Assert.Equal([2, 0], dataset.Histories[0].Select(e => e.ItemId));
        Assert.Equal([400L, 500L], dataset.Histories[0].Select(e => e.Timestamp!.Value));
        // user 10: item 1 and item 3 both at 800, in file order, then item 2 at 900.
        Assert.Equal([0, 2, 1], dataset.Histories[1].Select(e => e.ItemId));
        Assert.Equal(["Animation", "Children's", "Comedy"], dataset.Catalog[0].Categories);
        Assert.Equal(["Drama", "War"], dataset.Catalog[1].Categories);
        Assert.Empty(dataset.Catalog[2].Categories); // the "unknown" genre is not a category
        Assert.Equal(5, dataset.EventCount);
    }

    [Fact]
    public void Latin1_bytes_in_u_item_are_decoded()
    {
        using var folder = StandardFolder();

        var dataset = new MovieLensLoader().Load(folder.Path);

        Assert.Equal("Misérables, Les (1995)", dataset.Catalog[1].Title);
    }

    [Fact]
    public void Genre_names_come_from_u_genre_when_present()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("u.genre", "unknown|0\nNoir|1\nSpace Western|2\n\n");
        folder.Write("u.item", "5|A Film (1990)|||url|0|1|1\n");
        folder.Write("u.data", "1\t5\t3\t100\n");

        var dataset = new MovieLensLoader().Load(folder.Path);

        Assert.Equal(["Noir", "Space Western"], dataset.Catalog[0].Categories);
    }

    [Theory]
    [InlineData("1\t1\t5\n", "line 1", "found 3 tab-separated field(s)")]
    [InlineData("1\t1\t5\t100\n1\t2\t5\tsoon\n", "line 2", "timestamp \"soon\" is not an integer")]
    [InlineData("1\t1\t5\t100\n\nx\t2\t5\t100\n", "line 3", "user id \"x\" is not an integer")]
    [InlineData("1\t1\tgood\t100\n", "line 1", "rating \"good\" is not a number")]
    [InlineData("1\t1\t5\t100\n1\t99\t5\t100\n", "line 2", "item 99 is not in u.item")]
    [InlineData("7\t1\t5\t100\n007\t2\t5\t100\n", "line 2", "user id \"007\" is the number of user \"7\" written differently")]
    public void Malformed_u_data_lines_name_file_and_line(string ratings, string location, string problem)
    {
        using var folder = StandardFolder(ratings);

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.data", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("1|Too Short|x\n", "line 1", "found 3 fields; expected 24")]
    [InlineData("1|Film|||url|0|0|0|2|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n", "line 1", "genre flag 4 (Animation) is \"2\"")]
    [InlineData("one|Film|||url|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n", "line 1", "movie id \"one\" is not an integer")]
    [InlineData("1|A|||u|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n1|B|||u|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n", "line 2", "movie id 1 appears twice")]
    public void Malformed_u_item_lines_name_file_and_line(string items, string location, string problem)
    {
        using var folder = new TempDatasetFolder();
        folder.Write("u.item", items);
        folder.Write("u.data", "1\t1\t5\t100\n");

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.item", ex.File);
        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Malformed_u_genre_names_file_and_line()
    {
        using var folder = StandardFolder();
        folder.Write("u.genre", "Action|0\nComedy\n");

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.genre", ex.File);
        Assert.Equal("line 2", ex.Location);
    }

    [Fact]
    public void Empty_u_data_is_reported_by_name()
    {
        using var folder = StandardFolder("\n\n");

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.data", ex.File);
        Assert.Contains("the file is empty", ex.Message);
    }

    [Fact]
    public void Missing_u_item_is_reported_by_name()
    {
        using var folder = new TempDatasetFolder();
        folder.Write("u.data", "1\t1\t5\t100\n");

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.item", ex.File);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Crlf_lines_and_a_byte_order_mark_in_every_file_are_read_like_plain_lines()
    {
        using var folder = new TempDatasetFolder();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        folder.WriteBytes("u.item", [.. bom, .. Encoding.Latin1.GetBytes($"1|Café (1995)|||url|{Flags(5)}\r\n2|B (1996)|||url|{Flags(8)}\r\n")]);
        folder.WriteBytes("u.data", [.. bom, .. Encoding.UTF8.GetBytes("7\t2\t4\t900\r\n7\t1\t5\t500\r\n")]);

        var dataset = new MovieLensLoader().Load(folder.Path);

        Assert.Equal(["1", "2"], dataset.Catalog.Select(i => i.Key));
        Assert.Equal("Café (1995)", dataset.Catalog[0].Title);
        Assert.Equal(["Comedy"], dataset.Catalog[0].Categories);
        Assert.Equal([0, 1], dataset.Histories[0].Select(e => e.ItemId));
    }

    [Fact]
    public void Invalid_utf8_in_u_data_names_the_line()
    {
        using var folder = StandardFolder();
        folder.WriteBytes("u.data", [.. Encoding.UTF8.GetBytes("2\t1\t5\t500\n2\t"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\t5\t600\n")]);

        var ex = Assert.Throws<DatasetFormatException>(() => new MovieLensLoader().Load(folder.Path));

        Assert.EndsWith("u.data", ex.File);
        Assert.Equal("line 2", ex.Location);
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public void A_ratings_file_larger_than_the_read_buffer_loads_every_rating()
    {
        var ratings = new StringBuilder();
        for (var n = 0; n < 20_000; n++) ratings.Append($"{n % 97 + 1}\t{n % 3 + 1}\t4\t{1000 + n}\n");
        using var folder = StandardFolder(ratings.ToString());

        var dataset = new MovieLensLoader().Load(folder.Path);

        Assert.Equal(97, dataset.Users.Count);
        Assert.Equal(20_000, dataset.EventCount);
        Assert.All(dataset.Histories, h => Assert.True(h.Zip(h.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp)));
    }
}
