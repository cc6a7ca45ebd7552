using System.Globalization;
using System.Text.Json;

namespace GenSR.Core;

/// <summary>
/// Reads JSON documents and typed fields, turning every parse or type problem into a
/// <see cref="DatasetFormatException"/> that names the file and the place.
/// </summary>
internal static class JsonFieldReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Parses one line of a JSON Lines file; errors name the line number.</summary>
    public static JsonDocument ParseLine(string path, int lineNumber, string line, string expected)
    {
        try
        {
            return JsonDocument.Parse(line, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new DatasetFormatException(path, $"line {lineNumber}",
                $"invalid JSON at byte {column} ({FirstSentence(ex.Message)}); expected {expected}.", ex);
        }
    }

    /// <summary>
    /// Opens a dataset file for reading and checks its stated length: at most <see cref="Array.MaxLength"/> bytes.
    /// Callers read at most <see cref="Stream.Length"/> bytes from it, so a device file behind a link reads as empty.
    /// </summary>
    public static FileStream OpenRead(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length;
        try { length = stream.CanSeek ? stream.Length : 0; }
        catch (IOException) { length = 0; }
        if (length > Array.MaxLength)
        {
            stream.Dispose();
            throw new DatasetFormatException(path, null, $"the file has {length:N0} bytes; at most {Array.MaxLength:N0} bytes per file are supported.");
        }
        return stream;
    }

    /// <summary>The message for a file that could not be opened.</summary>
    public static string Unreadable(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "the file does not exist.",
        UnauthorizedAccessException => "the file cannot be read (access denied).",
        _ => $"the file cannot be read ({ex.Message}).",
    };

    /// <summary>
    /// The text of a JSON string, or a format error naming the file and place when it is not valid Unicode (invalid
    /// UTF-8 bytes, or an escaped lone surrogate such as <c>\ud800</c>).
    /// </summary>
    public static string Text(JsonElement value, string path, string? location)
    {
        try
        {
            return Checked(value.GetString()!, "a string", path, location);
        }
        catch (InvalidOperationException ex)
        {
            throw new DatasetFormatException(path, location, $"a string is not valid UTF-8 text ({FirstSentence(ex.Message)}).", ex);
        }
    }

    /// <summary>The name of an object's property (a record key), or a format error as <see cref="Text"/> gives.</summary>
    public static string Name(JsonProperty property, string path, string? location)
    {
        try
        {
            return Checked(property.Name, "a key", path, location);
        }
        catch (InvalidOperationException ex)
        {
            throw new DatasetFormatException(path, location, $"a key is not valid UTF-8 text ({FirstSentence(ex.Message)}).", ex);
        }
    }

    /// <summary>The name of the property a reader is on (a record key), or a format error as <see cref="Text"/> gives.</summary>
    public static string Name(ref Utf8JsonReader reader, string path, string? location)
    {
        try
        {
            return Checked(reader.GetString()!, "a key", path, location);
        }
        catch (InvalidOperationException ex)
        {
            throw new DatasetFormatException(path, location, $"a key is not valid UTF-8 text ({FirstSentence(ex.Message)}).", ex);
        }
    }

    private static string Checked(string text, string what, string path, string? location)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            throw new DatasetFormatException(path, location,
                $"{what} holds a lone surrogate (U+{(int)text[i]:X4}) at character {i}; expected valid Unicode text.");
        }
        return text;
    }

    /// <summary>"a string", "a number", … for messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

    /// <summary>
    /// A key (user or item): a JSON string, or an integer written as a number (kept as its decimal text).
    /// </summary>
    public static string ReadKey(JsonElement value, string path, string location, string what)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = JsonFieldReader.Text(value, path, location);
                if (string.IsNullOrWhiteSpace(text))
                    throw new DatasetFormatException(path, location, $"{what} is an empty string; expected a non-empty key.");
                return text;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            default:
                throw new DatasetFormatException(path, location,
                    $"{what} is {Describe(value.ValueKind)} ({Shorten(value)}); expected a string or an integer key.");
        }
    }

    /// <summary>An optional string field: missing or <c>null</c> gives <c>null</c>; any other non-string is an error.</summary>
    public static string? ReadOptionalString(JsonElement record, string field, string path, string location)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new DatasetFormatException(path, location,
                $"field \"{field}\" is {Describe(value.ValueKind)} ({Shorten(value)}); expected a string.");
        return JsonFieldReader.Text(value, path, location);
    }

    /// <summary>
    /// An optional text field that may also be an array of strings (joined with a space), as Amazon 2018
    /// metadata stores descriptions.
    /// </summary>
    public static string? ReadOptionalText(JsonElement record, string field, string path, string location)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return JsonFieldReader.Text(value, path, location);
        if (value.ValueKind == JsonValueKind.Array)
        {
            var parts = new List<string>();
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                    throw new DatasetFormatException(path, location,
                        $"field \"{field}\"[{index}] is {Describe(element.ValueKind)}; expected a string.");
                parts.Add(JsonFieldReader.Text(element, path, location));
                index++;
            }
            return string.Join(" ", parts);
        }
        throw new DatasetFormatException(path, location,
            $"field \"{field}\" is {Describe(value.ValueKind)} ({Shorten(value)}); expected a string or an array of strings.");
    }

    /// <summary>An optional integer field: missing or <c>null</c> gives <c>null</c>.</summary>
    public static long? ReadOptionalInteger(JsonElement record, string field, string path, string location)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        throw new DatasetFormatException(path, location,
            $"field \"{field}\" is {Describe(value.ValueKind)} ({Shorten(value)}); expected an integer (seconds since 1970-01-01 UTC).");
    }

    /// <summary>A short excerpt of a raw value for messages.</summary>
    public static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..37] + "...";

    /// <summary>The value's JSON text, shortened for a message; the reader checks string contents for UTF-8 only when
    /// they are read, so a value holding invalid UTF-8 is described instead of quoted.</summary>
    public static string Shorten(JsonElement value)
    {
        try
        {
            return Shorten(value.GetRawText());
        }
        catch (InvalidOperationException)
        {
            return "text that is not valid UTF-8";
        }
    }

    /// <summary>The first sentence of a System.Text.Json message, without its path and position.</summary>
    public static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }
}
