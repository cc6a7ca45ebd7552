using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenSR.Core;

/// <summary>Generated serialization metadata for GenSR.Core's JSON files, so reading and writing them needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    // A metric or key given twice is a broken file, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(JsonFileHeader))]
[JsonSerializable(typeof(EvaluationReportDto))]
[JsonSerializable(typeof(IdentifierTableDto))]
[JsonSerializable(typeof(CompactGpt2VocabularyDto))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

/// <summary>The <c>format</c> and <c>version</c> every versioned file starts with, read untyped so any value can be reported.</summary>
internal sealed record JsonFileHeader
{
    /// <summary>The format name, when present.</summary>
    public JsonElement? Format { get; init; }

    /// <summary>The format version, when present.</summary>
    public JsonElement? Version { get; init; }

    /// <summary>The format name when it is a string, else <c>null</c>.</summary>
    [JsonIgnore]
    public string? FormatName => Format is { ValueKind: JsonValueKind.String } f ? f.GetString() : null;

    /// <summary>The version when it is an integer, else <c>null</c>.</summary>
    [JsonIgnore]
    public int? VersionNumber => Version is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;
}

/// <summary>An identifier table (<c>gensr-identifiers</c>), properties in the order they are written.</summary>
internal sealed record IdentifierTableDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public int[]? LevelSizes { get; init; }

    /// <summary>Per item, its codes; an entry may be null in a damaged file, which the reader names.</summary>
    public int[]?[]? Codes { get; init; }
}

/// <summary>A compact GPT-2 vocabulary (<c>gensr-compact-gpt2-vocabulary</c>), properties in the order they are written.</summary>
internal sealed record CompactGpt2VocabularyDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public string? Tokenizer { get; init; }
    public int? IdentifierTokenCount { get; init; }
    public int[]? Gpt2Ids { get; init; }
}
