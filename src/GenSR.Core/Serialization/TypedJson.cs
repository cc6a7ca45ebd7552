using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace GenSR.Core;

/// <summary>
/// Reads and writes the library's JSON files through source-generated metadata (no reflection), turning the
/// serializer's errors into <see cref="InvalidDataException"/>s that name the file, the field and what was expected.
/// </summary>
internal static class TypedJson
{
    /// <summary>The text as UTF-8, read once and deserialized as many times as needed (header, then document).</summary>
    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The rest of <paramref name="stream"/> as UTF-8 JSON text, without a leading byte order mark (which the
    /// serializer's reader, unlike the node parser these files were read with before, does not skip).</summary>
    public static ReadOnlyMemory<byte> ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return bytes.Span.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
    }

    /// <summary>The <c>format</c> and <c>version</c> of a versioned file, read before the rest is materialised.</summary>
    /// <exception cref="InvalidDataException">The text is not JSON or not an object.</exception>
    public static JsonFileHeader ReadHeader(ReadOnlySpan<byte> utf8, string source) =>
        Deserialize(utf8, CoreJsonContext.Default.JsonFileHeader, source);

    /// <summary>Deserializes <paramref name="utf8"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not JSON, not an object, or a field has the wrong type; the message names
    /// <paramref name="source"/> and the field.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string source) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, typeInfo) ?? throw new InvalidDataException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw Explain(e, typeInfo, source, StartsWithObject(utf8));
        }
    }

    /// <summary>Deserializes an already parsed node as <typeparamref name="T"/> (for the public members that take a <see cref="JsonNode"/>).</summary>
    /// <exception cref="InvalidDataException">The node is not an object or a field has the wrong type.</exception>
    public static T Deserialize<T>(JsonNode? node, JsonTypeInfo<T> typeInfo, string source) where T : class
    {
        if (node is not JsonObject) throw new InvalidDataException($"{source}: expected a JSON object.");
        try
        {
            return node.Deserialize(typeInfo) ?? throw new InvalidDataException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw Explain(e, typeInfo, source, isObject: true);
        }
    }

    /// <summary>Indented JSON text of <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its generated metadata.</param>
    /// <param name="relaxedEscaping">Keep <c>'</c>, <c>+</c> and non-ASCII letters as they are (files for people), instead of <c>\uXXXX</c>.</param>
    /// <param name="indented">Indent (files for people) or write compactly (large machine files).</param>
    public static string Write<T>(T value, JsonTypeInfo<T> typeInfo, bool relaxedEscaping = false, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            Encoder = relaxedEscaping ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null,
        }))
            JsonSerializer.Serialize(writer, value, typeInfo);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The serializer's error in the file's terms: a syntax error stays "not valid JSON"; a value of the wrong type names
    /// the field by its path (<c>systems[2].runs[0].seed</c>) and the kind of value its type expects.
    /// </summary>
    public static InvalidDataException Explain(JsonException e, JsonTypeInfo root, string source, bool isObject = false)
    {
        // The reader's own exception comes wrapped: the text is not JSON at all.
        if (e.InnerException is JsonException) return new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        var path = e.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // At the root of an object the problem is not the value's kind (e.g. a key given twice): the serializer's words say what.
        if (field.Length == 0)
            return new InvalidDataException(isObject ? $"{source}: {e.Message}" : $"{source}: expected a JSON object.", e);
        var expected = Expected(root, path);
        return expected is null
            ? new InvalidDataException($"{source}: {field}: {e.Message}", e)
            : new InvalidDataException($"{source}: {field}: expected {expected}.", e);
    }

    private static bool StartsWithObject(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try { return reader.Read() && reader.TokenType == JsonTokenType.StartObject; }
        catch (JsonException) { return false; }
    }

    // Follows the path through the generated metadata to the field's type.
    private static string? Expected(JsonTypeInfo root, string path)
    {
        var info = root;
        var i = 1;
        while (i < path.Length)
        {
            string? name = null;
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                name = path[(i + 1)..end];
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                name = path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) return null;
                i = end + 1;
            }
            else return null;

            Type? next = info.Kind switch
            {
                JsonTypeInfoKind.Object when name is not null => info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                JsonTypeInfoKind.Dictionary when name is not null => info.ElementType,
                JsonTypeInfoKind.Enumerable when name is null => info.ElementType,
                _ => null,
            };
            if (next is null || !info.Options.TryGetTypeInfo(next, out var nextInfo)) return null;
            info = nextInfo;
        }
        return Describe(info);
    }

    private static string? Describe(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)) return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(JsonObject)) return "an object";
        return info.Kind switch
        {
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            JsonTypeInfoKind.Enumerable => "an array",
            _ => null,
        };
    }
}
