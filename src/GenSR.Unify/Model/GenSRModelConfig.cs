using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// Everything needed to rebuild a <see cref="GenSRModel"/> with the same parameter shapes: the T5 backbone's config, the
/// catalogue size, the widths of the two history views and which views are used. Stored in every checkpoint manifest.
/// </summary>
public sealed record GenSRModelConfig
{
    /// <summary>The encoder–decoder backbone. Its vocabulary must equal the model vocabulary (text + identifier tokens).</summary>
    public required T5Config Backbone { get; init; }

    /// <summary>Number of items in the catalogue (rows of the item tables). 1 … 100,000,000.</summary>
    public required int ItemCount { get; init => field = OptionGuard.InRange(value, 1, 100_000_000, nameof(ItemCount), nameof(GenSRModelConfig)); }

    /// <summary>Width d_cf of the frozen collaborative item embeddings (LightGCN's 64 by default). 1 … 65,536.</summary>
    public int CollaborativeDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(CollaborativeDimension), nameof(GenSRModelConfig));
    } = 64;

    /// <summary>Width of the collaborative history encoder's Transformer. Default 64; a multiple of 2 (two heads).</summary>
    public int CollaborativeEncoderDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 2, 65_536, nameof(CollaborativeEncoderDimension), nameof(GenSRModelConfig));
    } = 64;

    /// <summary>Longest history the history encoders see (the paper caps unified histories at 20). 1 … 4096.</summary>
    public int MaxHistory { get; init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxHistory), nameof(GenSRModelConfig)); } = 20;

    /// <summary>Title tokens per history item for the semantic view (the paper keeps the first ~10). 1 … 512.</summary>
    public int TitleTokens { get; init => field = OptionGuard.InRange(value, 1, 512, nameof(TitleTokens), nameof(GenSRModelConfig)); } = 10;

    /// <summary>Query tokens kept for the search target vector. 1 … 512; default 16.</summary>
    public int QueryTokens { get; init => field = OptionGuard.InRange(value, 1, 512, nameof(QueryTokens), nameof(GenSRModelConfig)); } = 16;

    /// <summary>Whether the collaborative view (CF history encoder and CF soft tokens) is used. Ablation switch.</summary>
    public bool UseCollaborativeView { get; init; } = true;

    /// <summary>Whether the semantic view (semantic history encoder and semantic soft tokens) is used. Ablation switch.</summary>
    public bool UseSemanticView { get; init; } = true;

    /// <summary>Dropout of the history encoders. Default 0.1; in [0, 1).</summary>
    public double HistoryDropout
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(HistoryDropout), nameof(GenSRModelConfig), maxExclusive: true);
    } = 0.1;

    /// <summary>
    /// Width of the dense retrieval head, or 0 for none (the default, and what checkpoints without the field load as). The
    /// head scores every catalogue item by a dot product between the pooled encoder state and an item table built from a
    /// learned item embedding, the projected collaborative vector and the projected title embedding, plus an item bias;
    /// it is trained with full-softmax cross-entropy beside the language-model loss. 0 … 4096.
    /// </summary>
    public int DenseDimension { get; init => field = OptionGuard.InRange(value, 0, 4096, nameof(DenseDimension), nameof(GenSRModelConfig)); }

    /// <summary>Whether the model has a dense retrieval head (<see cref="DenseDimension"/> &gt; 0).</summary>
    public bool HasDenseHead => DenseDimension > 0;

    /// <summary>
    /// Number of category-word tokens per item that the dense head matches against the query's words, or 0 for none (the
    /// default, and what checkpoints without the field load as). When set, the item token table holds these tokens after the
    /// <see cref="TitleTokens"/> title tokens, and one projection maps both the mean query-token embedding (user side) and
    /// the mean category-token embedding (item side) into the dense space: an item whose category words are the query's
    /// scores high from the first step, and training refines the match. Needs a dense head. 0 … 512.
    /// </summary>
    public int DenseCategoryTokens { get; init => field = OptionGuard.InRange(value, 0, 512, nameof(DenseCategoryTokens), nameof(GenSRModelConfig)); }

    /// <summary>Whether the dense head matches query words with item category words (<see cref="DenseCategoryTokens"/> &gt; 0).</summary>
    public bool HasDenseCategories => DenseCategoryTokens > 0;

    /// <summary>
    /// Whether the dense head's user vector also reads the history items' own dense rows: a recency-weighted mean of their
    /// item-table rows (one learned weight per position counted from the most recent), projected. The candidate's score
    /// then holds an item-to-item term, as in sequential recommenders whose input and output item embeddings are shared.
    /// Needs a dense head. Default false (and what checkpoints without the field load as).
    /// </summary>
    public bool DenseHistory { get; init; }

    /// <summary>
    /// Whether the dense head also adds a scaled cosine word match: s · cos(P q, P c), where q and c are the mean query-token
    /// and category-token embeddings, P is the category words' projection and s a learned scale (starting at 10). The
    /// cosine is 1 exactly when the two word sets embed alike, whatever P learns, so an item whose category words are the
    /// query's is ahead of items that share only some of them; the additive match of <see cref="DenseCategoryTokens"/>
    /// gives no such guarantee (a longer word set can have the larger inner product). A request without query words gets
    /// 0. Needs <see cref="DenseCategoryTokens"/> &gt; 0. Default false (and what checkpoints without the field load as).
    /// </summary>
    public bool DenseCategoryCosine { get; init; }

    /// <summary>
    /// Whether the dense head's user vector also adds the user soft tokens, projected: the collaborative and semantic
    /// history views' vectors, which see each event's recency and task and attend to the request's target, reach the
    /// dense score directly instead of only through the mean of the encoder states. Needs a dense head and at least one
    /// history view. Default false (and what checkpoints without the field load as).
    /// </summary>
    public bool DenseSoftTokens { get; init; }

    /// <summary>Columns of the item token table: <see cref="TitleTokens"/> + <see cref="DenseCategoryTokens"/>.</summary>
    public int ItemTokenColumns => TitleTokens + DenseCategoryTokens;

    /// <summary>
    /// Width of the pretrained query vectors the model reads, or 0 for none (the default, and what checkpoints without the
    /// field load as). When set, a generative prompt carries the projected query vector as its <c>[query_vec]</c> soft
    /// token, the vector joins the search target of both history encoders, the dense head's user vector adds it, and the
    /// model holds the catalogue's vectors from the same encoder (a frozen <c>[items, width]</c> table) for the dense
    /// head's item side. 0 … 4096.
    /// </summary>
    public int QueryVectorDimension { get; init => field = OptionGuard.InRange(value, 0, 4096, nameof(QueryVectorDimension), nameof(GenSRModelConfig)); }

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
        init => field = OptionGuard.InRange(value, 0, 4096, nameof(ItemTextVectorDimension), nameof(GenSRModelConfig));
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
            throw new ArgumentException($"GenSRModelConfig.ItemTextVectorDimension ({ItemTextVectorDimension}) must equal QueryVectorDimension " +
                $"({QueryVectorDimension}): items and queries share one encoder's space.");
        if (DenseHistory && !HasDenseHead)
            throw new ArgumentException("GenSRModelConfig.DenseHistory needs a dense head (DenseDimension > 0).");
        if (HasDenseCategories && !HasDenseHead)
            throw new ArgumentException("GenSRModelConfig.DenseCategoryTokens needs a dense head (DenseDimension > 0).");
        if (DenseCategoryCosine && !HasDenseCategories)
            throw new ArgumentException("GenSRModelConfig.DenseCategoryCosine needs category words in the dense head (DenseCategoryTokens > 0).");
        if (DenseSoftTokens && !HasDenseHead)
            throw new ArgumentException("GenSRModelConfig.DenseSoftTokens needs a dense head (DenseDimension > 0).");
        if (DenseSoftTokens && !UseCollaborativeView && !UseSemanticView)
            throw new ArgumentException("GenSRModelConfig.DenseSoftTokens needs a history view (UseCollaborativeView or UseSemanticView).");
        if (UseSemanticView && SemanticViewInput == SemanticViewInput.ItemVectors && !HasItemTextVectors)
            throw new ArgumentException("GenSRModelConfig.SemanticViewInput is ItemVectors, so ItemTextVectorDimension (or QueryVectorDimension) must be set.");
        return this;
    }

    /// <summary>The config as a JSON object (the backbone as its HF <c>config.json</c> object).</summary>
    public JsonObject ToJson() =>
        JsonSerializer.SerializeToNode(ToDto(), ModelJsonContext.Default.GenSRModelConfigDto)!.AsObject();

    /// <summary>Reads a config written by <see cref="ToJson"/>; errors name <paramref name="source"/> and the field.</summary>
    public static GenSRModelConfig FromJson(JsonNode? node, string source = "model config")
    {
        if (node is not JsonObject) throw new InvalidDataException($"{source}: expected a JSON object with the model config.");
        var dto = TypedJson.Deserialize(node, ModelJsonContext.Default.GenSRModelConfigDto, source);
        try
        {
            var backbone = dto.Backbone ?? throw new InvalidDataException($"{source}: missing \"backbone\".");
            return new GenSRModelConfig
            {
                Backbone = T5Config.FromJson(backbone.ToJsonString(), $"{source} backbone"),
                ItemCount = Required(dto.ItemCount, "item_count", source),
                CollaborativeDimension = Required(dto.CollaborativeDimension, "collaborative_dimension", source),
                CollaborativeEncoderDimension = Required(dto.CollaborativeEncoderDimension, "collaborative_encoder_dimension", source),
                MaxHistory = Required(dto.MaxHistory, "max_history", source),
                TitleTokens = Required(dto.TitleTokens, "title_tokens", source),
                QueryTokens = Required(dto.QueryTokens, "query_tokens", source),
                UseCollaborativeView = dto.UseCollaborativeView
                    ?? throw new InvalidDataException($"{source}: \"use_collaborative_view\" must be true or false."),
                UseSemanticView = dto.UseSemanticView ?? throw new InvalidDataException($"{source}: \"use_semantic_view\" must be true or false."),
                // Fields added after the first checkpoints: absent, they read as the behaviour before them.
                HistoryDropout = dto.HistoryDropout ?? 0.1,
                DenseDimension = dto.DenseDimension ?? 0,
                DenseCategoryTokens = dto.DenseCategoryTokens ?? 0,
                DenseHistory = dto.DenseHistory ?? false,
                DenseCategoryCosine = dto.DenseCategoryCosine ?? false,
                DenseSoftTokens = dto.DenseSoftTokens ?? false,
                QueryVectorDimension = dto.QueryVectorDimension ?? 0,
                ItemTextVectorDimension = dto.ItemTextVectorDimension ?? 0,
                SemanticViewInput = dto.SemanticViewInput switch
                {
                    null or "title_tokens" => SemanticViewInput.TitleTokens,
                    "item_vectors" => SemanticViewInput.ItemVectors,
                    var text =>
                        throw new InvalidDataException($"{source}: \"semantic_view_input\" is \"{text}\"; expected \"title_tokens\" or \"item_vectors\"."),
                },
            }.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private GenSRModelConfigDto ToDto() => new()
    {
        Backbone = JsonNode.Parse(Backbone.ToJson())!.AsObject(),
        ItemCount = ItemCount,
        CollaborativeDimension = CollaborativeDimension,
        CollaborativeEncoderDimension = CollaborativeEncoderDimension,
        MaxHistory = MaxHistory,
        TitleTokens = TitleTokens,
        QueryTokens = QueryTokens,
        UseCollaborativeView = UseCollaborativeView,
        UseSemanticView = UseSemanticView,
        HistoryDropout = HistoryDropout,
        DenseDimension = DenseDimension,
        DenseCategoryTokens = DenseCategoryTokens == 0 ? null : DenseCategoryTokens,
        DenseHistory = DenseHistory ? true : null,
        DenseCategoryCosine = DenseCategoryCosine ? true : null,
        DenseSoftTokens = DenseSoftTokens ? true : null,
        QueryVectorDimension = QueryVectorDimension,
        ItemTextVectorDimension = ItemTextVectorDimension,
        SemanticViewInput = SemanticViewInput == SemanticViewInput.ItemVectors ? "item_vectors" : "title_tokens",
    };

    // A missing field keeps the message it had before the typed reader; a field of the wrong type is named by the reader.
    private static int Required(int? value, string name, string source) =>
        value ?? throw new InvalidDataException($"{source}: \"{name}\" must be an integer.");
}
