using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenSR.Core;

/// <summary>
/// A bijection between items and their identifiers: short code sequences such as <c>&lt;a_12&gt;&lt;b_200&gt;&lt;c_7&gt;</c>.
/// Level <c>l</c> has <see cref="LevelSizes"/>[l] codes; identifiers may have different lengths (at most
/// <see cref="MaxLength"/>). Every (level, code) pair has its own language-model token: token id =
/// <c>tokenOffset + LevelOffset(l) + code</c>.
/// </summary>
public sealed class IdentifierTable
{
    /// <summary>Version of the JSON format written by <see cref="Save(Stream)"/>.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "gensr-identifiers";
    private readonly int[][] _codes;
    private readonly int[] _levelSizes;
    private readonly int[] _levelOffsets;
    private readonly Dictionary<CodeKey, int> _byCodes;

    /// <summary>Creates a table; item <c>i</c> has identifier <paramref name="codes"/>[i].</summary>
    /// <param name="codes">Per item, its code sequence (non-empty).</param>
    /// <param name="levelSizes">Codes per level; when <c>null</c>, 1 + the largest code seen at each level.</param>
    /// <exception cref="ArgumentException">An identifier is empty, or a code is negative or not below its level's size.</exception>
    /// <exception cref="IdentifierCollisionException">Two or more items share an identifier (the message lists them).</exception>
    public IdentifierTable(IReadOnlyList<IReadOnlyList<int>> codes, IReadOnlyList<int>? levelSizes = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _codes = new int[codes.Count][];
        var maxLength = 0;
        for (var i = 0; i < codes.Count; i++)
        {
            var c = codes[i] ?? throw new ArgumentException($"Identifier of item {i} is null.", nameof(codes));
            if (c.Count == 0) throw new ArgumentException($"Identifier of item {i} is empty.", nameof(codes));
            _codes[i] = c.ToArray();
            maxLength = Math.Max(maxLength, c.Count);
        }

        if (levelSizes is null)
        {
            _levelSizes = new int[maxLength];
            foreach (var c in _codes)
                for (var l = 0; l < c.Length; l++)
                    _levelSizes[l] = Math.Max(_levelSizes[l], c[l] + 1);
        }
        else
        {
            if (levelSizes.Count < maxLength)
                throw new ArgumentException($"{levelSizes.Count} level sizes given, but an identifier has {maxLength} levels.", nameof(levelSizes));
            _levelSizes = levelSizes.ToArray();
        }
        for (var l = 0; l < _levelSizes.Length; l++)
            if (_levelSizes[l] <= 0)
                throw new ArgumentException($"Level {l} must have at least one code, got {_levelSizes[l]}.", nameof(levelSizes));

        for (var i = 0; i < _codes.Length; i++)
            for (var l = 0; l < _codes[i].Length; l++)
                if (_codes[i][l] < 0 || _codes[i][l] >= _levelSizes[l])
                    throw new ArgumentException($"Item {i}: code {_codes[i][l]} at level {l} is outside [0, {_levelSizes[l]}).", nameof(codes));

        _levelOffsets = new int[_levelSizes.Length + 1];
        for (var l = 0; l < _levelSizes.Length; l++) _levelOffsets[l + 1] = _levelOffsets[l] + _levelSizes[l];

        _byCodes = new Dictionary<CodeKey, int>(_codes.Length);
        Dictionary<CodeKey, List<int>>? collisions = null;
        for (var i = 0; i < _codes.Length; i++)
        {
            var key = new CodeKey(_codes[i]);
            if (_byCodes.TryAdd(key, i)) continue;
            collisions ??= new Dictionary<CodeKey, List<int>>();
            if (!collisions.TryGetValue(key, out var group))
                collisions[key] = group = new List<int> { _byCodes[key] };
            group.Add(i);
        }
        if (collisions is not null)
            throw new IdentifierCollisionException(collisions.Values.Select(g => (IReadOnlyList<int>)g).ToList(), i => Format(_codes[i]));
    }

    /// <summary>Number of items.</summary>
    public int ItemCount => _codes.Length;

    /// <summary>Number of levels (the longest identifier's length).</summary>
    public int MaxLength => _levelSizes.Length;

    /// <summary>Codes per level.</summary>
    public IReadOnlyList<int> LevelSizes => _levelSizes;

    /// <summary>Total number of distinct (level, code) tokens, i.e. the sum of <see cref="LevelSizes"/>.</summary>
    public int TokenCount => _levelOffsets[^1];

    /// <summary>Whether all identifiers have the same length.</summary>
    public bool IsFixedLength => _codes.All(c => c.Length == _levelSizes.Length);

    /// <summary>The code sequence of item <paramref name="item"/>.</summary>
    public ReadOnlySpan<int> this[int item] => _codes[item];

    /// <summary>The code sequence of item <paramref name="item"/>.</summary>
    public IReadOnlyList<int> GetCodes(int item) => _codes[item];

    /// <summary>Index of the first token of level <paramref name="level"/> among the identifier tokens.</summary>
    public int LevelOffset(int level) => _levelOffsets[level];

    /// <summary>The item that has exactly these codes.</summary>
    public bool TryGetItem(ReadOnlySpan<int> codes, out int item) => _byCodes.TryGetValue(new CodeKey(codes.ToArray()), out item);

    /// <summary>Token id of code <paramref name="code"/> at level <paramref name="level"/>.</summary>
    public int ToTokenId(int level, int code, int tokenOffset) => tokenOffset + _levelOffsets[level] + code;

    /// <summary>The language-model token ids of item <paramref name="item"/>'s identifier.</summary>
    /// <param name="item">Dense item id.</param>
    /// <param name="tokenOffset">Id of the first identifier token in the model's vocabulary.</param>
    public int[] ToTokenIds(int item, int tokenOffset)
    {
        var c = _codes[item];
        var tokens = new int[c.Length];
        for (var l = 0; l < c.Length; l++) tokens[l] = tokenOffset + _levelOffsets[l] + c[l];
        return tokens;
    }

    /// <summary>Maps token ids back to an item; <c>false</c> if a token is not the right level's or no item has those codes.</summary>
    public bool TryGetItemFromTokens(ReadOnlySpan<int> tokens, int tokenOffset, out int item)
    {
        item = -1;
        if (tokens.Length == 0 || tokens.Length > _levelSizes.Length) return false;
        var codes = new int[tokens.Length];
        for (var l = 0; l < tokens.Length; l++)
        {
            var code = tokens[l] - tokenOffset - _levelOffsets[l];
            if (code < 0 || code >= _levelSizes[l]) return false;
            codes[l] = code;
        }
        return _byCodes.TryGetValue(new CodeKey(codes), out item);
    }

    /// <summary>Readable form of item <paramref name="item"/>'s identifier, e.g. <c>&lt;a_12&gt;&lt;b_200&gt;&lt;c_7&gt;</c>.</summary>
    public string Format(int item) => Format(_codes[item]);

    /// <summary>Readable name of one identifier token, e.g. <c>&lt;b_200&gt;</c>.</summary>
    public static string TokenName(int level, int code) => $"<{LevelLetter(level)}_{code}>";

    private static string Format(int[] codes)
    {
        var sb = new StringBuilder();
        for (var l = 0; l < codes.Length; l++) sb.Append(TokenName(l, codes[l]));
        return sb.ToString();
    }

    private static string LevelLetter(int level) => level < 26 ? ((char)('a' + level)).ToString() : $"l{level}";

    /// <summary>Writes the table as versioned JSON.</summary>
    public void Save(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream);
        JsonSerializer.Serialize(writer, ToDto(), CoreJsonContext.Default.IdentifierTableDto);
    }

    /// <summary>Writes the table as versioned JSON to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp)) Save(fs);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The table as a JSON node (for embedding in a larger manifest).</summary>
    public JsonObject ToJson() =>
        JsonSerializer.SerializeToNode(ToDto(), CoreJsonContext.Default.IdentifierTableDto)!.AsObject();

    private IdentifierTableDto ToDto() => new() { Format = FormatName, Version = FormatVersion, LevelSizes = _levelSizes, Codes = _codes };

    /// <summary>Reads a table written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not an identifier table of a supported version; the message says what is wrong.</exception>
    public static IdentifierTable Load(Stream stream, string source = "identifier table")
    {
        var utf8 = TypedJson.ReadAll(stream);
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        var header = TypedJson.ReadHeader(utf8.Span, source);
        CheckHeader(header, source);
        return FromDto(Read(() => TypedJson.Deserialize(utf8.Span, CoreJsonContext.Default.IdentifierTableDto, source), source), source);
    }

    /// <summary>Reads a table from <paramref name="path"/>.</summary>
    public static IdentifierTable Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs, path);
    }

    /// <summary>Reads a table from a JSON node written by <see cref="ToJson"/>.</summary>
    public static IdentifierTable FromJson(JsonNode? node, string source = "identifier table")
    {
        CheckHeader(TypedJson.Deserialize(node, CoreJsonContext.Default.JsonFileHeader, source), source);
        return FromDto(Read(() => TypedJson.Deserialize(node, CoreJsonContext.Default.IdentifierTableDto, source), source), source);
    }

    private static void CheckHeader(JsonFileHeader header, string source)
    {
        if (header.FormatName != FormatName)
            throw new InvalidDataException($"{source}: expected \"format\": \"{FormatName}\".");
        var version = header.VersionNumber ?? throw new InvalidDataException($"{source}: \"version\" must be an integer (expected {FormatVersion}).");
        if (version != FormatVersion)
            throw new InvalidDataException($"{source}: version {version} is not supported (expected {FormatVersion}).");
    }

    // An item's entry that is not an array keeps the wording the table has always used for it.
    private static IdentifierTableDto Read(Func<IdentifierTableDto> read, string source)
    {
        try { return read(); }
        catch (InvalidDataException e) when (e.InnerException is JsonException { Path: { } path } inner && ItemIndex(path) is { } item)
        {
            throw new InvalidDataException($"{source}: codes[{item}] must be an array of integers.", inner);
        }
    }

    // The item of a path "$.codes[i]" (the entry itself, not a code inside it), else null.
    private static string? ItemIndex(string path)
    {
        const string prefix = "$.codes[";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || !path.EndsWith(']')) return null;
        var index = path[prefix.Length..^1];
        return index.Length > 0 && index.All(char.IsAsciiDigit) ? index : null;
    }

    private static IdentifierTable FromDto(IdentifierTableDto dto, string source)
    {
        var sizes = dto.LevelSizes ?? throw new InvalidDataException($"{source}: \"levelSizes\" must be an array.");
        var stored = dto.Codes ?? throw new InvalidDataException($"{source}: \"codes\" must be an array.");
        var codes = new int[stored.Length][];
        for (var i = 0; i < codes.Length; i++)
            codes[i] = stored[i] ?? throw new InvalidDataException($"{source}: codes[{i}] must be an array of integers.");
        try
        {
            return new IdentifierTable(codes, sizes);
        }
        catch (Exception e) when (e is ArgumentException or IdentifierCollisionException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private readonly struct CodeKey : IEquatable<CodeKey>
    {
        private readonly int[] _codes;
        private readonly int _hash;

        public CodeKey(int[] codes)
        {
            _codes = codes;
            var h = new HashCode();
            foreach (var c in codes) h.Add(c);
            _hash = h.ToHashCode();
        }

        public bool Equals(CodeKey other) => _codes.AsSpan().SequenceEqual(other._codes);
        public override bool Equals(object? obj) => obj is CodeKey k && Equals(k);
        public override int GetHashCode() => _hash;
    }
}
