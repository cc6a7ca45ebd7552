using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GenSR.Unify;

/// <summary>Generated serialization metadata for the model config, so reading and writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    // A field given twice is a broken (or edited) config, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(GenSRModelConfigDto))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;

/// <summary>
/// The model config's shape, properties in the order they are written. Fields added after the first checkpoints are
/// nullable: a config without them reads as before they existed. The backbone stays an object because it is a Hugging
/// Face <c>config.json</c>, read by <see cref="T5Config"/>'s own reader.
/// </summary>
internal sealed record GenSRModelConfigDto
{
    public JsonObject? Backbone { get; init; }
    public int? ItemCount { get; init; }
    public int? CollaborativeDimension { get; init; }
    public int? CollaborativeEncoderDimension { get; init; }
    public int? MaxHistory { get; init; }
    public int? TitleTokens { get; init; }
    public int? QueryTokens { get; init; }
    public bool? UseCollaborativeView { get; init; }
    public bool? UseSemanticView { get; init; }
    public double? HistoryDropout { get; init; }
    public int? DenseDimension { get; init; }
    public int? QueryVectorDimension { get; init; }
    public int? ItemTextVectorDimension { get; init; }
    public string? SemanticViewInput { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DenseCategoryTokens { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DenseHistory { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DenseCategoryCosine { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DenseSoftTokens { get; init; }
}
