using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenSR.Unify;

/// <summary>Generated serialization metadata for the new-item index's manifest, so reading and writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    // A key given twice is a broken (or edited) manifest, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(NewItemHeaderDto))]
[JsonSerializable(typeof(NewItemManifestDto))]
internal sealed partial class NewItemJsonContext : JsonSerializerContext;

/// <summary>The manifest's version, read untyped so any value can be reported, before the rest is materialised.</summary>
internal sealed record NewItemHeaderDto
{
    public JsonElement? FormatVersion { get; init; }

    [JsonIgnore]
    public int? FormatVersionNumber => FormatVersion is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;
}

/// <summary>The new-item index's manifest (<c>new-items.json</c>), properties in the order they are written.</summary>
internal sealed record NewItemManifestDto
{
    public int? FormatVersion { get; init; }
    public string? Source { get; init; }
    public string? Encoder { get; init; }
    public int? Fields { get; init; }
    public bool? ItemTokensIncludeCategories { get; init; }
    public bool? TextVectorsAreSemantic { get; init; }
}
