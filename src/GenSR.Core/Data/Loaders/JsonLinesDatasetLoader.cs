using System.Text.Json;

namespace GenSR.Core;

/// <summary>
/// Loads the generic JSON Lines format for data with real query logs: <c>events.jsonl</c>, one event per line
/// <c>{"user": "u1", "item": "i9", "ts": 1700000000, "query": "red shoes"}</c>, and <c>items.jsonl</c>, one
/// item per line <c>{"item": "i9", "title": "...", "description": "...", "brand": "...", "categories": [...]}</c>.
/// </summary>
/// <remarks>
/// <para>An event with a non-empty <c>query</c> is a search event; without one (missing, <c>null</c> or
/// blank) it is a recommendation event. <c>ts</c> (integer seconds) is optional: a user's events are sorted
/// by it (ties in file order) when all of that user's events have one; otherwise they keep file order.</para>
/// <para><c>categories</c> is an array of segments (most general first) or one string joined by <c>&gt;</c>
/// (<c>"Shoes &gt; Running"</c>). Text is taken as written (no HTML decoding, no root dropping). Keys may be
/// strings or integers. Unknown fields are ignored; blank lines are skipped. Dense ids: items in
/// <c>items.jsonl</c> order (items without events stay in the catalogue), users in order of first appearance
/// in <c>events.jsonl</c>.</para>
/// </remarks>
public sealed class JsonLinesDatasetLoader : IDatasetLoader
{
    /// <summary>The events file of a dataset folder.</summary>
    public const string EventsFileName = "events.jsonl";

    /// <summary>The items file of a dataset folder.</summary>
    public const string ItemsFileName = "items.jsonl";

    private const string EventExpected = "a JSON object {\"user\": key, \"item\": key, \"ts\"?: integer, \"query\"?: string}";
    private const string ItemExpected =
        "a JSON object {\"item\": key, \"title\": string, \"description\"?: string, \"brand\"?: string, \"categories\"?: [string, ...] or \"A > B\"}";

    /// <inheritdoc />
    public DatasetFormat Format => DatasetFormat.JsonLines;

    /// <inheritdoc />
    public SrDataset Load(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DatasetFormatException(folder, null, $"the folder does not exist; expected a folder with {EventsFileName} and {ItemsFileName}.");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return Load(Path.Combine(folder, EventsFileName), Path.Combine(folder, ItemsFileName), name, cancellationToken);
    }

    /// <summary>Loads a dataset from an events file and an items file with any names.</summary>
    /// <param name="eventsPath">The JSON Lines file of events.</param>
    /// <param name="itemsPath">The JSON Lines file of items.</param>
    /// <param name="name">The dataset's name for reports.</param>
    /// <param name="cancellationToken">Cancels a long load between lines.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">A file is missing or a line is malformed.</exception>
    public SrDataset Load(string eventsPath, string itemsPath, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventsPath);
        ArgumentNullException.ThrowIfNull(itemsPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var assembler = new DatasetAssembler();
        var items = ReadItems(itemsPath, cancellationToken);
        ReadEvents(eventsPath, Path.GetFileName(itemsPath), items, assembler, cancellationToken);
        assembler.WarnEmptyTitles(items);
        return assembler.Build(name, items);
    }

    private static List<Item> ReadItems(string path, CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNumber, line) in ReadLines(path, ItemExpected, cancellationToken))
        {
            var location = $"line {lineNumber}";
            using var document = JsonFieldReader.ParseLine(path, lineNumber, line, ItemExpected);
            var record = RequireObject(document.RootElement, path, location, ItemExpected);
            if (!record.TryGetProperty("item", out var keyElement))
                throw new DatasetFormatException(path, location, $"field \"item\" is missing; expected {ItemExpected}.");
            var key = JsonFieldReader.ReadKey(keyElement, path, location, "field \"item\"");
            if (!keys.Add(key))
                throw new DatasetFormatException(path, location, $"item \"{key}\" appears twice; expected each item once.");
            var title = JsonFieldReader.ReadOptionalString(record, "title", path, location) ?? string.Empty;
            var description = JsonFieldReader.ReadOptionalString(record, "description", path, location) ?? string.Empty;
            var brand = JsonFieldReader.ReadOptionalString(record, "brand", path, location) ?? string.Empty;
            var categories = ReadCategories(record, path, location);
            items.Add(new Item(items.Count, key, title.Trim(), description.Trim(), brand.Trim(), categories));
        }
        return items;
    }

    private static string[] ReadCategories(JsonElement record, string path, string location)
    {
        if (!record.TryGetProperty("categories", out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind == JsonValueKind.String)
            return JsonFieldReader.Text(value, path, location).Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (value.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(path, location,
                $"field \"categories\" is {JsonFieldReader.Describe(value.ValueKind)} ({JsonFieldReader.Shorten(value)}); expected an array of " +
                "strings or a string \"A > B\".");
        var segments = new List<string>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
                throw new DatasetFormatException(path, location,
                    $"field \"categories\"[{index}] is {JsonFieldReader.Describe(element.ValueKind)}; expected a string.");
            var segment = JsonFieldReader.Text(element, path, location).Trim();
            if (segment.Length > 0)
                segments.Add(segment);
            index++;
        }
        return segments.ToArray();
    }

    private static void ReadEvents(string path, string itemsFileName, List<Item> items, DatasetAssembler assembler, CancellationToken cancellationToken)
    {
        var itemIds = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
            itemIds.Add(item.Key, item.Id);
        var allTimed = new List<bool>();
        // Logs repeat queries: one string per distinct query, not one per event.
        var queries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNumber, line) in ReadLines(path, EventExpected, cancellationToken))
        {
            var location = $"line {lineNumber}";
            using var document = JsonFieldReader.ParseLine(path, lineNumber, line, EventExpected);
            var record = RequireObject(document.RootElement, path, location, EventExpected);
            if (!record.TryGetProperty("user", out var userElement))
                throw new DatasetFormatException(path, location, $"field \"user\" is missing; expected {EventExpected}.");
            if (!record.TryGetProperty("item", out var itemElement))
                throw new DatasetFormatException(path, location, $"field \"item\" is missing; expected {EventExpected}.");
            var userKey = JsonFieldReader.ReadKey(userElement, path, location, "field \"user\"");
            var itemKey = JsonFieldReader.ReadKey(itemElement, path, location, "field \"item\"");
            if (!itemIds.TryGetValue(itemKey, out var itemId))
                throw new DatasetFormatException(path, location,
                    $"item \"{itemKey}\" (user \"{userKey}\") is not in {itemsFileName}; expected every item of an event to be listed there.");
            var timestamp = JsonFieldReader.ReadOptionalInteger(record, "ts", path, location);
            var query = JsonFieldReader.ReadOptionalString(record, "query", path, location)?.Trim();
            if (!string.IsNullOrEmpty(query) && !queries.Add(query))
                queries.TryGetValue(query, out query);

            var userId = assembler.GetOrAddUser(userKey);
            if (userId == allTimed.Count)
                allTimed.Add(true);
            allTimed[userId] &= timestamp.HasValue;
            assembler.HistoryOf(userId).Add(string.IsNullOrEmpty(query)
                ? SrEvent.Recommendation(userId, itemId, timestamp)
                : SrEvent.Search(userId, itemId, query, timestamp));
        }
        for (var u = 0; u < allTimed.Count; u++)
        {
            if (!allTimed[u])
                continue;
            var history = assembler.HistoryOf(u);
            // A stable sort: events with equal timestamps keep their file order.
            var sorted = history.OrderBy(e => e.Timestamp!.Value).ToList();
            history.Clear();
            history.AddRange(sorted);
        }
    }

    private static JsonElement RequireObject(JsonElement element, string path, string location, string expected) =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw new DatasetFormatException(path, location, $"the line holds {JsonFieldReader.Describe(element.ValueKind)}; expected {expected}.");

    /// <summary>Non-blank lines with 1-based numbers; a missing or empty file is an error naming it.</summary>
    private static IEnumerable<(int LineNumber, string Line)> ReadLines(string path, string expected, CancellationToken cancellationToken) =>
        TextLines.Read(path, TextLines.StrictUtf8,
            $"the file does not exist; the JSON Lines format needs {EventsFileName} and {ItemsFileName}.",
            $"the file is empty; expected {expected} on each line.", cancellationToken);
}
