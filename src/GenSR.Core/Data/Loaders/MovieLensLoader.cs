using System.Globalization;
using System.Text;

namespace GenSR.Core;

/// <summary>
/// Loads MovieLens 100K: <c>u.data</c> (tab-separated <c>user item rating timestamp</c>), <c>u.item</c>
/// (<c>|</c>-separated, ISO-8859-1: id, title, release date, video release date, URL, one 0/1 flag per genre)
/// and, when present, <c>u.genre</c> (<c>name|index</c>; otherwise the standard 19 genres).
/// </summary>
/// <remarks>
/// Every rating is an interaction (a recommendation event with its timestamp); each user's events are sorted
/// by timestamp, ties kept in file order. Genres become the item's categories in genre-index order (a set,
/// not a path); the placeholder genre <c>unknown</c> is left out. Dense ids: items in <c>u.item</c> order,
/// users by ascending numeric id. Keys keep the source text.
/// </remarks>
public sealed class MovieLensLoader : IDatasetLoader
{
    /// <summary>The ratings file.</summary>
    public const string RatingsFileName = "u.data";

    /// <summary>The movie file.</summary>
    public const string ItemsFileName = "u.item";

    /// <summary>The optional genre list.</summary>
    public const string GenresFileName = "u.genre";

    private const string UnknownGenre = "unknown";
    private const int FieldsBeforeGenres = 5;
    private const string RatingsExpected = "4 tab-separated fields: user id, item id (integers), rating (a number), timestamp (integer seconds)";

    /// <summary>The 19 genres of MovieLens 100K in flag order, used when <c>u.genre</c> is absent.</summary>
    public static IReadOnlyList<string> StandardGenres { get; } =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    /// <inheritdoc />
    public DatasetFormat Format => DatasetFormat.MovieLens;

    /// <inheritdoc />
    public SrDataset Load(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DatasetFormatException(folder, null, "the folder does not exist; expected a folder with u.data and u.item.");
        var ratingsPath = Path.Combine(folder, RatingsFileName);
        var itemsPath = Path.Combine(folder, ItemsFileName);
        var genresPath = Path.Combine(folder, GenresFileName);

        var genres = File.Exists(genresPath) ? ReadGenres(genresPath) : StandardGenres;
        var assembler = new DatasetAssembler();
        var (items, itemIds) = ReadItems(itemsPath, genres, cancellationToken);
        ReadRatings(ratingsPath, itemIds, assembler, cancellationToken);
        assembler.WarnEmptyTitles(items);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return assembler.Build(name, items);
    }

    private static IReadOnlyList<string> ReadGenres(string path)
    {
        var byIndex = new SortedDictionary<int, string>();
        foreach (var (lineNumber, line) in ReadLines(path, Encoding.Latin1, "\"name|index\""))
        {
            var fields = line.Split('|');
            if (fields.Length != 2 || fields[0].Trim().Length == 0)
                throw new DatasetFormatException(path, $"line {lineNumber}",
                    $"found {fields.Length} '|'-separated field(s) in \"{JsonFieldReader.Shorten(line)}\"; expected \"name|index\".");
            if (!int.TryParse(fields[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new DatasetFormatException(path, $"line {lineNumber}",
                    $"genre index \"{fields[1]}\" is not a non-negative integer; expected \"name|index\".");
            if (!byIndex.TryAdd(index, fields[0].Trim()))
                throw new DatasetFormatException(path, $"line {lineNumber}", $"genre index {index} appears twice; expected each index once.");
        }
        var expectedIndex = 0;
        foreach (var index in byIndex.Keys)
        {
            if (index != expectedIndex)
                throw new DatasetFormatException(path, null, $"genre index {expectedIndex} is missing; expected indexes 0 to {byIndex.Count - 1}.");
            expectedIndex++;
        }
        return byIndex.Values.ToArray();
    }

    private static (List<Item> Items, Dictionary<int, int> ItemIds) ReadItems(string path, IReadOnlyList<string> genres, CancellationToken cancellationToken)
    {
        var fieldCount = FieldsBeforeGenres + genres.Count;
        var expected = $"{fieldCount} '|'-separated fields: movie id, title, release date, video release date, URL and {genres.Count} genre flags (0 or 1)";
        var items = new List<Item>();
        var itemIds = new Dictionary<int, int>();
        foreach (var (lineNumber, line) in ReadLines(path, Encoding.Latin1, expected))
        {
            if (lineNumber % 4096 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var location = $"line {lineNumber}";
            var fields = line.Split('|');
            if (fields.Length != fieldCount)
                throw new DatasetFormatException(path, location, $"found {fields.Length} fields; expected {expected}.");
            var key = fields[0].Trim();
            if (!int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var movieId))
                throw new DatasetFormatException(path, location, $"movie id \"{fields[0]}\" is not an integer; expected {expected}.");
            if (!itemIds.TryAdd(movieId, items.Count))
                throw new DatasetFormatException(path, location, $"movie id {movieId} appears twice; expected each movie once.");
            var categories = new List<string>();
            for (var g = 0; g < genres.Count; g++)
            {
                var flag = fields[FieldsBeforeGenres + g].Trim();
                if (flag is not ("0" or "1"))
                    throw new DatasetFormatException(path, location, $"genre flag {g + 1} ({genres[g]}) is \"{flag}\"; expected 0 or 1.");
                if (flag == "1" && !string.Equals(genres[g], UnknownGenre, StringComparison.OrdinalIgnoreCase))
                    categories.Add(genres[g]);
            }
            items.Add(new Item(items.Count, key, fields[1].Trim(), string.Empty, string.Empty, categories.ToArray()));
        }
        return (items, itemIds);
    }

    private static void ReadRatings(string path, Dictionary<int, int> itemIds, DatasetAssembler assembler, CancellationToken cancellationToken)
    {
        var byUser = new Dictionary<int, (string Key, List<(int ItemId, long Timestamp)> Events)>();
        foreach (var (lineNumber, line) in ReadLines(path, TextLines.StrictUtf8, RatingsExpected))
        {
            if (lineNumber % 65536 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var location = $"line {lineNumber}";
            var fields = line.Split('\t');
            if (fields.Length != 4)
                throw new DatasetFormatException(path, location,
                    $"found {fields.Length} tab-separated field(s) in \"{JsonFieldReader.Shorten(line)}\"; expected {RatingsExpected}.");
            var userKey = (int)ParseInteger(fields[0], "user id", int.MaxValue, path, location);
            var movieId = (int)ParseInteger(fields[1], "item id", int.MaxValue, path, location);
            if (!double.TryParse(fields[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rating) || !double.IsFinite(rating))
                throw new DatasetFormatException(path, location,
                    $"rating \"{JsonFieldReader.Shorten(fields[2])}\" is not a number; expected {RatingsExpected}.");
            var timestamp = ParseInteger(fields[3], "timestamp", long.MaxValue, path, location);
            if (!itemIds.TryGetValue(movieId, out var itemId))
                throw new DatasetFormatException(path, location, $"item {movieId} is not in {ItemsFileName}; expected every rated movie to be listed there.");
            if (!byUser.TryGetValue(userKey, out var entry))
            {
                entry = (fields[0].Trim(), []);
                byUser.Add(userKey, entry);
            }
            else if (!string.Equals(entry.Key, fields[0].Trim(), StringComparison.Ordinal))
            {
                // "007" and "7" are one number; silently merging them would join two users' histories.
                throw new DatasetFormatException(path, location,
                    $"user id \"{JsonFieldReader.Shorten(fields[0].Trim())}\" is the number of user \"{entry.Key}\" written differently; expected " +
                    "each user id in one form.");
            }
            entry.Events.Add((itemId, timestamp));
        }
        foreach (var (_, (key, events)) in byUser.OrderBy(p => p.Key))
        {
            var id = assembler.GetOrAddUser(key);
            var history = new SrEvent[events.Count];
            var n = 0;
            // OrderBy is a stable sort: ratings with equal timestamps keep their file order.
            foreach (var (itemId, timestamp) in events.OrderBy(e => e.Timestamp))
                history[n++] = SrEvent.Recommendation(id, itemId, timestamp);
            assembler.SetHistory(id, history);
            // The parsed ratings are not needed any more: let them go while the next users are built.
            events.Clear();
            events.TrimExcess();
        }
    }

    private static long ParseInteger(string text, string what, long limit, string path, string location) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= -limit && value <= limit
            ? value
            : throw new DatasetFormatException(path, location,
                $"{what} \"{JsonFieldReader.Shorten(text)}\" is not an integer{(limit == int.MaxValue ? " of 32 bits" : string.Empty)}; " +
                $"expected {RatingsExpected}.");

    /// <summary>Non-blank lines with 1-based line numbers, streamed; a missing or empty file is an error naming it.</summary>
    private static IEnumerable<(int LineNumber, string Line)> ReadLines(string path, Encoding encoding, string expected) =>
        TextLines.Read(path, encoding,
            "the file does not exist; MovieLens needs u.data and u.item (u.genre is optional).",
            $"the file is empty; expected lines of {expected}.");
}
