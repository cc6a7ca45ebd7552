using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GenSR.Unify;

/// <summary>Generated serialization metadata for the checkpoint manifest, so reading and writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(
    // A key given twice is a broken (or edited) manifest, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CheckpointHeaderDto))]
[JsonSerializable(typeof(CheckpointManifestDto))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;

// The shape of gensr.json, properties in the order they are written. The model config, the identifier table and the
// compact vocabulary keep their own public JSON readers, so they travel as objects; "extra" is the user's own object.

/// <summary>The manifest's format and version, read untyped so any value can be reported, before the rest is materialised.</summary>
internal sealed record CheckpointHeaderDto
{
    [JsonPropertyName("format")] public JsonElement? Format { get; init; }
    [JsonPropertyName("format_version")] public JsonElement? FormatVersion { get; init; }

    [JsonIgnore]
    public string? FormatName => Format is { ValueKind: JsonValueKind.String } f ? f.GetString() : null;

    [JsonIgnore]
    public int? FormatVersionNumber => FormatVersion is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;
}

/// <summary>The checkpoint manifest.</summary>
internal sealed record CheckpointManifestDto
{
    [JsonPropertyName("format")] public string? Format { get; init; }
    [JsonPropertyName("format_version")] public int? FormatVersion { get; init; }
    [JsonPropertyName("library_version")] public string? LibraryVersion { get; init; }
    [JsonPropertyName("model")] public JsonObject? Model { get; init; }
    [JsonPropertyName("prompt_history_items")] public int? PromptHistoryItems { get; init; }
    [JsonPropertyName("vocabulary")] public CheckpointVocabularyDto? Vocabulary { get; init; }
    [JsonPropertyName("identifiers")] public JsonObject? Identifiers { get; init; }
    [JsonPropertyName("item_keys")] public List<string?>? ItemKeys { get; init; }
    [JsonPropertyName("item_titles")] public List<string?>? ItemTitles { get; init; }
    [JsonPropertyName("extra")] public JsonObject? Extra { get; init; }

    [JsonPropertyName("weights_sha256")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WeightsSha256 { get; init; }
}

/// <summary>The manifest's vocabulary: a compact GPT-2 vocabulary inline, or a SentencePiece model beside the manifest.</summary>
internal sealed record CheckpointVocabularyDto
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Data { get; init; }

    [JsonPropertyName("identifier_token_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IdentifierTokenCount { get; init; }

    [JsonPropertyName("base_vocabulary_size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BaseVocabularySize { get; init; }
}
