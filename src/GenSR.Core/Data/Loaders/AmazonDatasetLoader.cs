using System.Text.Json;

namespace GenSR.Core;

/// <summary>
/// Loads the Amazon review datasets as prepared by TIGER/LC-Rec/LETTER style repositories:
/// <c>&lt;Name&gt;.inter.json</c>, one JSON object <c>{"user": [item, ...]}</c> whose lists are chronological,
/// and <c>&lt;Name&gt;.item.json</c>, one JSON object <c>{"item": {"title", "description", "brand", "categories"}}</c>.
/// </summary>
/// <remarks>
/// <para>Dense ids: items are numbered in the order of the item file (so items nobody interacted with stay in
/// the catalogue), users in the order of the interaction file. Keys keep the source strings; integer keys
/// written as JSON numbers become their decimal text.</para>
/// <para>Categories may be a string joined by <c>,</c> (segment names may contain <c>", "</c>), by <c>", "</c>
/// or by <c>" &gt; "</c> (the separator is detected once for the whole file), a JSON array of segments, or a
/// JSON array of paths (the first non-empty path is used). HTML entities are decoded in titles, brands,
/// descriptions and categories. A root shared by every item is dropped (see
/// <see cref="AmazonDatasetLoaderOptions.DropSharedRootCategory"/>). Empty or missing titles are tolerated
/// and reported in <see cref="SrDataset.Warnings"/>; unknown fields are ignored.</para>
/// </remarks>
public sealed class AmazonDatasetLoader : IDatasetLoader
{
    /// <summary>The file-name suffix of the interaction file.</summary>
    public const string InteractionsSuffix = ".inter.json";

    /// <summary>The file-name suffix of the item metadata file.</summary>
    public const string ItemsSuffix = ".item.json";

    private const string InteractionsExpected =
        "one JSON object mapping each user key to the chronological list of its item keys, e.g. {\"u1\": [\"i3\", \"i7\"]}";
    private const string ItemsExpected = "one JSON object mapping each item key to {\"title\", \"description\", \"brand\", \"categories\"}";

    /// <summary>Creates the loader.</summary>
    /// <param name="options">Options; <c>null</c> for the defaults.</param>
    public AmazonDatasetLoader(AmazonDatasetLoaderOptions? options = null) => Options = options ?? new AmazonDatasetLoaderOptions();

    /// <summary>The loader's options.</summary>
    public AmazonDatasetLoaderOptions Options { get; }

    /// <inheritdoc />
    public DatasetFormat Format => DatasetFormat.Amazon;

    /// <inheritdoc />
    public SrDataset Load(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var name = Options.DatasetName ?? FindSingleName(folder);
        var interactionsPath = Path.Combine(folder, name + InteractionsSuffix);
        var itemsPath = Path.Combine(folder, name + ItemsSuffix);
        RequireFile(interactionsPath);
        RequireFile(itemsPath);

        var assembler = new DatasetAssembler();
        var items = ReadItems(itemsPath, cancellationToken);
        ReadInteractions(interactionsPath, Path.GetFileName(itemsPath), items, assembler, cancellationToken);
        assembler.WarnEmptyTitles(items);
        assembler.WarnEmptyHistories();
        return assembler.Build(name, items);
    }

    /// <summary>The <c>&lt;Name&gt;</c> of every <c>&lt;Name&gt;.inter.json</c> in a folder, sorted ordinally.</summary>
    internal static IReadOnlyList<string> FindNames(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*" + InteractionsSuffix)
                .Select(f => Path.GetFileName(f)[..^InteractionsSuffix.Length])
                .Where(n => n.Length > 0)
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    private static string FindSingleName(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DatasetFormatException(folder, null, "the folder does not exist; expected a folder with <Name>.inter.json and <Name>.item.json.");
        var names = FindNames(folder);
        return names.Count switch
        {
            1 => names[0],
            0 => throw new DatasetFormatException(folder, null,
                "no <Name>.inter.json file in this folder; the Amazon format needs <Name>.inter.json and <Name>.item.json."),
            _ => throw new DatasetFormatException(folder, null,
                $"several datasets in this folder ({string.Join(", ", names)}); choose one with " +
                $"{nameof(AmazonDatasetLoaderOptions)}.{nameof(AmazonDatasetLoaderOptions.DatasetName)}."),
        };
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, null,
                "the file does not exist; the Amazon format needs <Name>.inter.json and <Name>.item.json side by side.");
    }

    private List<Item> ReadItems(string path, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var texts = new List<(string Title, string Description, string Brand)>();
        var rawCategories = new List<RawCategories>();
        JsonObjectRecords.Read(path, ItemsExpected, (number, key, record) =>
        {
            var location = $"record \"{key}\"";
            if (string.IsNullOrWhiteSpace(key))
                throw new DatasetFormatException(path, $"record {number}", "the item key is empty; expected a non-empty key.");
            if (!seen.Add(key))
                throw new DatasetFormatException(path, location, "the item key appears twice; expected each item once.");
            if (record.ValueKind != JsonValueKind.Object)
                throw new DatasetFormatException(path, location,
                    $"the record is {JsonFieldReader.Describe(record.ValueKind)}; expected an object with \"title\", \"description\", " +
                    "\"brand\", \"categories\".");
            keys.Add(key);
            texts.Add((
                SourceText.Clean(JsonFieldReader.ReadOptionalString(record, "title", path, location)),
                SourceText.Clean(JsonFieldReader.ReadOptionalText(record, "description", path, location)),
                SourceText.Clean(JsonFieldReader.ReadOptionalString(record, "brand", path, location))));
            rawCategories.Add(ReadCategories(record, path, location));
        }, cancellationToken);

        var separator = CategoryPathParser.DetectSeparator(rawCategories.Where(c => c.Joined is not null).Select(c => c.Joined!));
        var paths = rawCategories
            .Select(c => c.Joined is not null ? CategoryPathParser.Split(c.Joined, separator) : CategoryPathParser.FromSegments(c.Segments ?? []))
            .ToList();
        if (Options.DropSharedRootCategory)
            CategoryPathParser.DropSharedRoot(paths);

        var items = new List<Item>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
            items.Add(new Item(i, keys[i], texts[i].Title, texts[i].Description, texts[i].Brand, paths[i].ToArray()));
        return items;
    }

    private static RawCategories ReadCategories(JsonElement record, string path, string location)
    {
        if (!record.TryGetProperty("categories", out var value) || value.ValueKind == JsonValueKind.Null)
            return new RawCategories(null, null);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return new RawCategories(JsonFieldReader.Text(value, path, location), null);
            case JsonValueKind.Array:
                List<string>? firstPath = null;
                var sawStrings = false;
                var index = 0;
                var flat = new List<string>();
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind == JsonValueKind.String)
                    {
                        sawStrings = true;
                        flat.Add(JsonFieldReader.Text(element, path, location));
                    }
                    else if (element.ValueKind == JsonValueKind.Array)
                    {
                        var segments = ReadStringArray(element, path, location, $"field \"categories\"[{index}]");
                        if (firstPath is null && segments.Count > 0)
                            firstPath = segments;
                    }
                    else
                    {
                        throw new DatasetFormatException(path, location,
                            $"field \"categories\"[{index}] is {JsonFieldReader.Describe(element.ValueKind)}; expected a string (a path segment) or an " +
                            "array of strings (a path).");
                    }
                    index++;
                }
                if (sawStrings && index > flat.Count)
                    throw new DatasetFormatException(path, location,
                        "field \"categories\" mixes strings and arrays; expected an array of segments or an array of paths.");
                return new RawCategories(null, sawStrings ? flat : firstPath ?? []);
            default:
                throw new DatasetFormatException(path, location,
                    $"field \"categories\" is {JsonFieldReader.Describe(value.ValueKind)} ({JsonFieldReader.Shorten(value)}); expected a string, an array of " +
                    "strings or an array of arrays of strings.");
        }
    }

    private static List<string> ReadStringArray(JsonElement array, string path, string location, string what)
    {
        var result = new List<string>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
                throw new DatasetFormatException(path, location,
                    $"{what}[{index}] is {JsonFieldReader.Describe(element.ValueKind)}; expected a string.");
            result.Add(JsonFieldReader.Text(element, path, location));
            index++;
        }
        return result;
    }

    private static void ReadInteractions(string path, string itemsFileName, List<Item> items, DatasetAssembler assembler, CancellationToken cancellationToken)
    {
        var itemIds = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
            itemIds.Add(item.Key, item.Id);

        JsonObjectRecords.Read(path, InteractionsExpected, (number, userKey, sequence) =>
        {
            var location = $"record \"{userKey}\"";
            if (string.IsNullOrWhiteSpace(userKey))
                throw new DatasetFormatException(path, $"record {number}", "the user key is empty; expected a non-empty key.");
            if (assembler.ContainsUser(userKey))
                throw new DatasetFormatException(path, location, "the user key appears twice; expected each user once.");
            if (sequence.ValueKind != JsonValueKind.Array)
                throw new DatasetFormatException(path, location,
                    $"the record is {JsonFieldReader.Describe(sequence.ValueKind)} ({JsonFieldReader.Shorten(sequence)}); expected a list of item keys.");
            var userId = assembler.GetOrAddUser(userKey);
            var history = new SrEvent[sequence.GetArrayLength()];
            var position = 0;
            foreach (var element in sequence.EnumerateArray())
            {
                var itemKey = JsonFieldReader.ReadKey(element, path, location, $"entry {position}");
                if (!itemIds.TryGetValue(itemKey, out var itemId))
                    throw new DatasetFormatException(path, location,
                        $"entry {position} names item \"{itemKey}\", which is not in {itemsFileName}; expected every interacted item to have metadata.");
                history[position++] = SrEvent.Recommendation(userId, itemId);
            }
            assembler.SetHistory(userId, history);
        }, cancellationToken);
        if (assembler.UserCount == 0)
            throw new DatasetFormatException(path, null, $"the file holds no users; expected {InteractionsExpected}.");
    }

    private readonly record struct RawCategories(string? Joined, List<string>? Segments);
}
