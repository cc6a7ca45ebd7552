using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GenSR.Representation;

/// <summary>Generated serialization metadata for the item-embeddings manifest, so reading and writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    // A key given twice is a broken (or edited) manifest, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ItemEmbeddingsManifestDto))]
internal sealed partial class EmbeddingsJsonContext : JsonSerializerContext;

/// <summary>
/// The manifest of an item-embeddings file pair, properties in the order they are written. The identifier table keeps
/// its own public JSON reader, so it travels as an object.
/// </summary>
internal sealed record ItemEmbeddingsManifestDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public string? Source { get; init; }
    public string? Label { get; init; }
    public int? ItemCount { get; init; }
    public int? Dimension { get; init; }
    public string? TensorFile { get; init; }
    public string? TensorSha256 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Identifiers { get; init; }
}
