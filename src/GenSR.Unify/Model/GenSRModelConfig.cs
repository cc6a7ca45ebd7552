using System.Text.Json.Nodes;
using GenSR.Unify.T5;

namespace GenSR.Unify.Model;

/// <summary>
/// Everything needed to rebuild a <see cref="GenSRModel"/> with the same parameter shapes: the T5 backbone's config, the
/// catalogue size, the widths of the two history views and which views are used. Stored in every checkpoint manifest.
/// </summary>
public sealed record GenSRModelConfig
{
    /// <summary>The encoder–decoder backbone. Its vocabulary must equal the model vocabulary (text + identifier tokens).</summary>
    public required T5Config Backbone { get; init; }

    /// <summary>Number of items in the catalogue (rows of the item tables). 1 … 100,000,000.</summary>
    public required int ItemCount { get; init => field = Check(value, 1, 100_000_000, nameof(ItemCount)); }

    /// <summary>Width d_cf of the frozen collaborative item embeddings (LightGCN's 64 by default). 1 … 65,536.</summary>
    public int CollaborativeDimension { get; init => field = Check(value, 1, 65_536, nameof(CollaborativeDimension)); } = 64;

    /// <summary>Width of the collaborative history encoder's Transformer. Default 64; a multiple of 2 (two heads).</summary>
    public int CollaborativeEncoderDimension { get; init => field = Check(value, 2, 65_536, nameof(CollaborativeEncoderDimension)); } = 64;

    /// <summary>Longest history the history encoders see (the paper caps unified histories at 20). 1 … 4096.</summary>
    public int MaxHistory { get; init => field = Check(value, 1, 4096, nameof(MaxHistory)); } = 20;

    /// <summary>Title tokens per history item for the semantic view (the paper keeps the first ~10). 1 … 512.</summary>
    public int TitleTokens { get; init => field = Check(value, 1, 512, nameof(TitleTokens)); } = 10;

    /// <summary>Query tokens kept for the search target vector. 1 … 512; default 16.</summary>
    public int QueryTokens { get; init => field = Check(value, 1, 512, nameof(QueryTokens)); } = 16;

    /// <summary>Whether the collaborative view (CF history encoder and CF soft tokens) is used. Ablation switch.</summary>
    public bool UseCollaborativeView { get; init; } = true;

    /// <summary>Whether the semantic view (semantic history encoder and semantic soft tokens) is used. Ablation switch.</summary>
    public bool UseSemanticView { get; init; } = true;

    /// <summary>Dropout of the history encoders. Default 0.1; in [0, 1).</summary>
    public double HistoryDropout { get; init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(HistoryDropout), value, "GenSRModelConfig.HistoryDropout must be in [0, 1)."); } = 0.1;

    /// <summary>
    /// Width of the dense retrieval head, or 0 for none (the default, and what checkpoints without the field load as). The
    /// head scores every catalogue item by a dot product between the pooled encoder state and an item table built from a
    /// learned item embedding, the projected collaborative vector and the projected title embedding, plus an item bias;
    /// it is trained with full-softmax cross-entropy beside the language-model loss. 0 … 4096.
    /// </summary>
    public int DenseDimension { get; init => field = Check(value, 0, 4096, nameof(DenseDimension)); }

    /// <summary>Whether the model has a dense retrieval head (<see cref="DenseDimension"/> &gt; 0).</summary>
    public bool HasDenseHead => DenseDimension > 0;

    /// <summary>
    /// Width of the pretrained query vectors the model reads, or 0 for none (the default, and what checkpoints without the
    /// field load as). When set, a generative prompt carries the projected query vector as its <c>[query_vec]</c> soft
    /// token, the vector joins the search target of both history encoders, the dense head's user vector adds it, and the
    /// model holds the catalogue's vectors from the same encoder (a frozen <c>[items, width]</c> table) for the dense
    /// head's item side. 0 … 4096.
    /// </summary>
    public int QueryVectorDimension { get; init => field = Check(value, 0, 4096, nameof(QueryVectorDimension)); }

    /// <summary>Whether the model reads pretrained query vectors (<see cref="QueryVectorDimension"/> &gt; 0).</summary>
    public bool HasQueryVectors => QueryVectorDimension > 0;

    /// <summary>
    /// What the semantic history view reads: the first title tokens of each history item (the paper's view, the default) or
    /// one frozen text vector per history item (<see cref="SemanticViewInput.ItemVectors"/>, which needs
    /// <see cref="ItemTextVectorDimension"/>).
    /// </summary>
    public SemanticViewInput SemanticViewInput { get; init; } = SemanticViewInput.TitleTokens;

    /// <summary>
    /// Width of the frozen item text-vector table <c>[items, width]</c>, or 0 for none. The table serves the dense head's item
    /// side with query vectors and the semantic view with <see cref="SemanticViewInput.ItemVectors"/>. Unset (0), it is
    /// <see cref="QueryVectorDimension"/>; with query vectors it must equal it (items and queries share one encoder's space).
    /// 0 … 4096.
    /// </summary>
    public int ItemTextVectorDimension
    {
        get => field > 0 ? field : QueryVectorDimension;
        init => field = Check(value, 0, 4096, nameof(ItemTextVectorDimension));
    }

    /// <summary>Whether the model holds a frozen item text-vector table (<see cref="ItemTextVectorDimension"/> &gt; 0).</summary>
    public bool HasItemTextVectors => ItemTextVectorDimension > 0;

    /// <summary>Checks the backbone's config too, and that the text-vector settings agree.</summary>
    /// <exception cref="ArgumentException">The settings disagree (the message says how).</exception>
    public GenSRModelConfig Validate()
    {
        Backbone.Validate();
        if (!Enum.IsDefined(SemanticViewInput))
            throw new ArgumentOutOfRangeException(nameof(SemanticViewInput), SemanticViewInput, "GenSRModelConfig.SemanticViewInput is not a known input.");
        if (HasQueryVectors && ItemTextVectorDimension != QueryVectorDimension)
            throw new ArgumentException($"GenSRModelConfig.ItemTextVectorDimension ({ItemTextVectorDimension}) must equal QueryVectorDimension ({QueryVectorDimension}): items and queries share one encoder's space.");
        if (UseSemanticView && SemanticViewInput == SemanticViewInput.ItemVectors && !HasItemTextVectors)
            throw new ArgumentException("GenSRModelConfig.SemanticViewInput is ItemVectors, so ItemTextVectorDimension (or QueryVectorDimension) must be set.");
        return this;
    }

    /// <summary>The config as a JSON object (the backbone as its HF <c>config.json</c> object).</summary>
    public JsonObject ToJson() => new()
    {
        ["backbone"] = JsonNode.Parse(Backbone.ToJson()),
        ["item_count"] = ItemCount,
        ["collaborative_dimension"] = CollaborativeDimension,
        ["collaborative_encoder_dimension"] = CollaborativeEncoderDimension,
        ["max_history"] = MaxHistory,
        ["title_tokens"] = TitleTokens,
        ["query_tokens"] = QueryTokens,
        ["use_collaborative_view"] = UseCollaborativeView,
        ["use_semantic_view"] = UseSemanticView,
        ["history_dropout"] = HistoryDropout,
        ["dense_dimension"] = DenseDimension,
        ["query_vector_dimension"] = QueryVectorDimension,
        ["item_text_vector_dimension"] = ItemTextVectorDimension,
        ["semantic_view_input"] = SemanticViewInput == SemanticViewInput.ItemVectors ? "item_vectors" : "title_tokens",
    };

    /// <summary>Reads a config written by <see cref="ToJson"/>; errors name <paramref name="source"/> and the field.</summary>
    public static GenSRModelConfig FromJson(JsonNode? node, string source = "model config")
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{source}: expected a JSON object with the model config.");
        try
        {
            var backbone = o["backbone"] ?? throw new InvalidDataException($"{source}: missing \"backbone\".");
            return new GenSRModelConfig
            {
                Backbone = T5Config.FromJson(backbone.ToJsonString(), $"{source} backbone"),
                ItemCount = Int(o, "item_count", source),
                CollaborativeDimension = Int(o, "collaborative_dimension", source),
                CollaborativeEncoderDimension = Int(o, "collaborative_encoder_dimension", source),
                MaxHistory = Int(o, "max_history", source),
                TitleTokens = Int(o, "title_tokens", source),
                QueryTokens = Int(o, "query_tokens", source),
                UseCollaborativeView = Bool(o, "use_collaborative_view", source),
                UseSemanticView = Bool(o, "use_semantic_view", source),
                HistoryDropout = (double?)o["history_dropout"] ?? 0.1,
                DenseDimension = o["dense_dimension"] is null ? 0 : Int(o, "dense_dimension", source),
                QueryVectorDimension = o["query_vector_dimension"] is null ? 0 : Int(o, "query_vector_dimension", source),
                ItemTextVectorDimension = o["item_text_vector_dimension"] is null ? 0 : Int(o, "item_text_vector_dimension", source),
                SemanticViewInput = o["semantic_view_input"] is null ? SemanticViewInput.TitleTokens : ViewInput(o, source),
            }.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static int Int(JsonObject o, string name, string source) =>
        o[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw new InvalidDataException($"{source}: \"{name}\" must be an integer.");

    private static SemanticViewInput ViewInput(JsonObject o, string source) =>
        o["semantic_view_input"] is JsonValue v && v.TryGetValue<string>(out var text)
            ? text switch
            {
                "title_tokens" => SemanticViewInput.TitleTokens,
                "item_vectors" => SemanticViewInput.ItemVectors,
                _ => throw new InvalidDataException($"{source}: \"semantic_view_input\" is \"{text}\"; expected \"title_tokens\" or \"item_vectors\"."),
            }
            : throw new InvalidDataException($"{source}: \"semantic_view_input\" must be a string.");

    private static bool Bool(JsonObject o, string name, string source) =>
        o[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new InvalidDataException($"{source}: \"{name}\" must be true or false.");

    private static int Check(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"GenSRModelConfig.{name} must be in [{min}, {max}].");
}
