using GenSR.Core;
using GenSR.Representation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The GenSR model (arXiv 2504.06714): one T5-architecture encoder–decoder for search and recommendation whose prompt
/// carries soft tokens from two views of the user's unified history.
/// <list type="bullet">
/// <item>Collaborative view: frozen CF item embeddings of the history → <see cref="CollaborativeHistoryEncoder"/>
/// (Transformer + target attention) → linear projection to <c>d_model</c> → the <c>[cf_user]</c> soft token.</item>
/// <item>Semantic view: the first title tokens of every history item through the backbone's shared token embedding →
/// <see cref="SemanticHistoryEncoder"/> (Transformer + target-aware soft filtering) → projection → <c>[sem_user]</c>; or,
/// with <see cref="SemanticViewInput.ItemVectors"/>, one frozen text vector per history item in place of its tokens.</item>
/// <item>The target both views attend against is the sum of a learned task vector, the mean query token embedding (search)
/// and, in pointwise mode, the candidate's projected CF vector and title embedding (which also fill the
/// <c>[cf_item]</c> / <c>[sem_item]</c> slots).</item>
/// </list>
/// Parameter names: <c>backbone.*</c> (HF T5 names below it), <c>cf_encoder.*</c>, <c>sem_encoder.*</c>,
/// <c>task_target.*</c>, <c>cf_user_proj.*</c>, <c>sem_user_proj.*</c>, <c>cf_item_proj.*</c>, <c>sem_item_proj.*</c>;
/// buffers <c>item_collaborative</c> <c>[items, d_cf]</c> (frozen CF embeddings) and <c>item_title_ids</c>
/// <c>[items, title_tokens + dense_category_tokens]</c> (pad-filled: the title tokens, then, for the dense head's word
/// match, the category-word tokens). The model lives on the device it was created on.
/// </summary>
public sealed class GenSRModel : nn.Module
{
    private readonly T5ForConditionalGeneration backbone;
    private readonly CollaborativeHistoryEncoder? cf_encoder;
    private readonly SemanticHistoryEncoder? sem_encoder;
    private readonly TaskTarget task_target;
    private readonly Linear? cf_user_proj;
    private readonly Linear? sem_user_proj;
    private readonly Linear? cf_item_proj;
    private readonly Linear? sem_item_proj;
    private readonly Linear? dense_user_proj;
    private readonly Embedding? dense_item_embeddings;
    private readonly Linear? dense_cf_proj;
    private readonly Linear? dense_title_proj;
    private readonly Parameter? dense_item_bias;
    private readonly Linear? query_proj;
    private readonly Linear? dense_query_proj;
    private readonly Linear? dense_text_proj;
    private readonly Linear? dense_lexical_proj;
    private readonly Linear? dense_history_proj;
    private readonly Parameter? dense_history_recency;
    private readonly Parameter? dense_lexical_scale;
    private readonly Linear? dense_soft_proj;
    private Tensor? _itemTextVectors;
    private Tensor _itemCollaborative;
    private Tensor _itemTitleIds;
    private readonly long _padId;

    /// <summary>Creates a randomly initialised model (the backbone may be replaced by pretrained weights afterwards).</summary>
    /// <param name="config">Shapes and switches.</param>
    /// <param name="itemCollaborative">Frozen CF item embeddings <c>[items, d_cf]</c> float32 (copied).</param>
    /// <param name="itemTitleIds">Item token ids <c>[items, title_tokens + dense_category_tokens]</c> int64, pad-filled (see
    /// <see cref="GenSRModelConfig.ItemTokenColumns"/>); every row needs at least one non-pad title id (copied).</param>
    /// <param name="padId">The vocabulary's pad id.</param>
    /// <param name="device">Where the model lives.</param>
    /// <param name="seed">Seed of the random initialisation.</param>
    /// <param name="itemTextVectors">Pretrained text vectors of the items <c>[items, query_vector_dimension]</c> from the encoder
    /// of the query vectors (copied); required exactly when <see cref="GenSRModelConfig.HasQueryVectors"/>.</param>
    public GenSRModel(GenSRModelConfig config, Tensor itemCollaborative, Tensor itemTitleIds, int padId, Device? device = null, long seed = 42,
                      Tensor? itemTextVectors = null)
        : base(nameof(GenSRModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(itemCollaborative);
        ArgumentNullException.ThrowIfNull(itemTitleIds);
        config.Validate();
        if (itemCollaborative.dim() != 2 || itemCollaborative.shape[0] != config.ItemCount || itemCollaborative.shape[1] != config.CollaborativeDimension)
            throw new ArgumentException($"itemCollaborative must be [{config.ItemCount}, {config.CollaborativeDimension}]; got " +
                $"[{string.Join(", ", itemCollaborative.shape)}].", nameof(itemCollaborative));
        if (itemTitleIds.dim() != 2 || itemTitleIds.shape[0] != config.ItemCount || itemTitleIds.shape[1] != config.ItemTokenColumns
            || itemTitleIds.dtype != ScalarType.Int64)
            throw new ArgumentException($"itemTitleIds must be int64 [{config.ItemCount}, {config.ItemTokenColumns}]; got {itemTitleIds.dtype} " +
                $"[{string.Join(", ", itemTitleIds.shape)}].", nameof(itemTitleIds));
        if (config.HasItemTextVectors != itemTextVectors is not null)
            throw new ArgumentException(config.HasItemTextVectors
                ? config.HasQueryVectors
                    ? $"The config reads {config.QueryVectorDimension}-d query vectors, so the model needs the items' text vectors from the same encoder."
                    : $"The config has a {config.ItemTextVectorDimension}-d item text-vector table, so the model needs the items' text vectors."
                : "itemTextVectors are only for a config with query vectors or an item text-vector table " +
                    "(QueryVectorDimension or ItemTextVectorDimension > 0).", nameof(itemTextVectors));
        if (itemTextVectors is not null
            && (itemTextVectors.dim() != 2 || itemTextVectors.shape[0] != config.ItemCount || itemTextVectors.shape[1] != config.ItemTextVectorDimension))
            throw new ArgumentException($"itemTextVectors must be [{config.ItemCount}, {config.ItemTextVectorDimension}]; got " +
                $"[{string.Join(", ", itemTextVectors.shape)}].", nameof(itemTextVectors));
        Config = config;
        _padId = padId;
        var d = config.Backbone.DModel;
        using (var generator = new Generator((ulong)seed))
        {
            manual_seed(seed);
            backbone = new T5ForConditionalGeneration(config.Backbone, generator);
            task_target = new TaskTarget(d);
            if (config.UseCollaborativeView)
            {
                cf_encoder = new CollaborativeHistoryEncoder(new CollaborativeHistoryEncoderOptions
                {
                    ItemDimension = config.CollaborativeDimension,
                    ModelDimension = config.CollaborativeEncoderDimension,
                    TargetDimension = d,
                    MaxHistoryLength = config.MaxHistory,
                    Dropout = config.HistoryDropout,
                });
                cf_user_proj = nn.Linear(cf_encoder.OutputDimension, d);
                cf_item_proj = nn.Linear(config.CollaborativeDimension, d);
            }

            if (config.UseSemanticView && config.SemanticViewInput == SemanticViewInput.ItemVectors)
            {
                // One "token" per history item: its frozen text vector, which the encoder projects to d_model.
                sem_encoder = new SemanticHistoryEncoder(new SemanticHistoryEncoderOptions
                {
                    TokenDimension = config.ItemTextVectorDimension,
                    ModelDimension = d,
                    TargetDimension = d,
                    MaxHistoryLength = config.MaxHistory,
                    MaxTokensPerItem = 1,
                    Dropout = config.HistoryDropout,
                }, new TokenEmbeddingAdapter(ItemTextVectorsOf));
                sem_user_proj = nn.Linear(sem_encoder.OutputDimension, d);
                sem_item_proj = nn.Linear(d, d);
            }
            else if (config.UseSemanticView)
            {
                sem_encoder = new SemanticHistoryEncoder(new SemanticHistoryEncoderOptions
                {
                    TokenDimension = d,
                    TargetDimension = d,
                    MaxHistoryLength = config.MaxHistory,
                    MaxTokensPerItem = config.TitleTokens,
                    Dropout = config.HistoryDropout,
                }, new TokenEmbeddingAdapter(backbone.EmbedTokens));
                sem_user_proj = nn.Linear(sem_encoder.OutputDimension, d);
                sem_item_proj = nn.Linear(d, d);
            }

            if (config.HasDenseHead)
            {
                var dd = config.DenseDimension;
                dense_user_proj = nn.Linear(d, dd);
                dense_item_embeddings = nn.Embedding(config.ItemCount, dd);
                using (no_grad()) nn.init.normal_(dense_item_embeddings.weight, 0, 0.02, generator);
                dense_cf_proj = nn.Linear(config.CollaborativeDimension, dd);
                dense_title_proj = nn.Linear(d, dd);
                dense_item_bias = new Parameter(zeros(config.ItemCount));
                if (config.HasDenseCategories) dense_lexical_proj = nn.Linear(d, dd, hasBias: false);
                if (config.DenseHistory)
                {
                    dense_history_proj = nn.Linear(dd, dd, hasBias: false);
                    // Zero logits: a plain mean of the history's rows until training weighs the positions.
                    dense_history_recency = new Parameter(zeros(config.MaxHistory));
                }

                // A scale of 10 puts the exact word match a few logits ahead of a partial one from the first step.
                if (config.DenseCategoryCosine) dense_lexical_scale = new Parameter(tensor(10f));
            }

            if (config.HasQueryVectors)
            {
                query_proj = nn.Linear(config.QueryVectorDimension, d);
                if (config.HasDenseHead)
                {
                    dense_query_proj = nn.Linear(d, config.DenseDimension);
                    dense_text_proj = nn.Linear(config.QueryVectorDimension, config.DenseDimension);
                }
            }

            // Created last, so that every other module draws the same initial weights with the option as without it.
            if (config.DenseSoftTokens)
            {
                var views = (config.UseCollaborativeView ? 1 : 0) + (config.UseSemanticView ? 1 : 0);
                dense_soft_proj = nn.Linear(views * d, config.DenseDimension, hasBias: false);
            }
        }

        register_module(nameof(backbone), backbone);
        if (cf_encoder is not null) register_module(nameof(cf_encoder), cf_encoder);
        if (sem_encoder is not null) register_module(nameof(sem_encoder), sem_encoder);
        register_module(nameof(task_target), task_target);
        if (cf_user_proj is not null) register_module(nameof(cf_user_proj), cf_user_proj);
        if (sem_user_proj is not null) register_module(nameof(sem_user_proj), sem_user_proj);
        if (cf_item_proj is not null) register_module(nameof(cf_item_proj), cf_item_proj);
        if (sem_item_proj is not null) register_module(nameof(sem_item_proj), sem_item_proj);
        if (dense_user_proj is not null) register_module(nameof(dense_user_proj), dense_user_proj);
        if (dense_item_embeddings is not null) register_module(nameof(dense_item_embeddings), dense_item_embeddings);
        if (dense_cf_proj is not null) register_module(nameof(dense_cf_proj), dense_cf_proj);
        if (dense_title_proj is not null) register_module(nameof(dense_title_proj), dense_title_proj);
        if (dense_item_bias is not null) register_parameter(nameof(dense_item_bias), dense_item_bias);
        if (query_proj is not null) register_module(nameof(query_proj), query_proj);
        if (dense_query_proj is not null) register_module(nameof(dense_query_proj), dense_query_proj);
        if (dense_text_proj is not null) register_module(nameof(dense_text_proj), dense_text_proj);
        if (dense_lexical_proj is not null) register_module(nameof(dense_lexical_proj), dense_lexical_proj);
        if (dense_history_proj is not null) register_module(nameof(dense_history_proj), dense_history_proj);
        if (dense_history_recency is not null) register_parameter(nameof(dense_history_recency), dense_history_recency);
        if (dense_lexical_scale is not null) register_parameter(nameof(dense_lexical_scale), dense_lexical_scale);
        if (dense_soft_proj is not null) register_module(nameof(dense_soft_proj), dense_soft_proj);
        _itemCollaborative = itemCollaborative.to(ScalarType.Float32).detach().clone();
        _itemTitleIds = itemTitleIds.detach().clone();
        register_buffer(ItemCollaborativeName, _itemCollaborative);
        register_buffer(ItemTitleIdsName, _itemTitleIds);
        if (itemTextVectors is not null)
        {
            _itemTextVectors = itemTextVectors.to(ScalarType.Float32).detach().clone();
            register_buffer(ItemTextVectorsName, _itemTextVectors);
        }
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    // to() replaces the registered buffers with moved or converted copies; the fields that cache the item tables are
    // pointed at the new ones, so that to() moves the whole model (as TorchSharp's own modules do by overriding _to).

    /// <inheritdoc/>
    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking)
    {
        var result = base._to(device, dtype, non_blocking);
        RefreshBuffers();
        return result;
    }

    /// <inheritdoc/>
    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
    {
        var result = base._to(deviceType, deviceIndex, non_blocking);
        RefreshBuffers();
        return result;
    }

    /// <inheritdoc/>
    protected override nn.Module _to(ScalarType dtype, bool non_blocking)
    {
        var result = base._to(dtype, non_blocking);
        RefreshBuffers();
        return result;
    }

    /// <summary>Name of the frozen CF item-embedding buffer.</summary>
    public const string ItemCollaborativeName = "item_collaborative";

    /// <summary>Name of the item title-token buffer.</summary>
    public const string ItemTitleIdsName = "item_title_ids";

    /// <summary>Name of the frozen item text-vector buffer (models with query vectors or <see cref="GenSRModelConfig.ItemTextVectorDimension"/>).</summary>
    public const string ItemTextVectorsName = "item_text_vectors";

    /// <summary>The frozen item text vectors <c>[items, item_text_vector_dimension]</c>, or null without a text-vector table.</summary>
    public Tensor? ItemTextVectors => _itemTextVectors;

    /// <summary>The text vectors of item ids <c>[…]</c> → <c>[…, item_text_vector_dimension]</c> (the semantic view's "token embedding" with
    /// <see cref="SemanticViewInput.ItemVectors"/>).</summary>
    private Tensor ItemTextVectorsOf(Tensor ids)
    {
        var table = _itemTextVectors ?? throw new InvalidOperationException("The model has no item text-vector table.");
        var shape = ids.shape.Append(table.shape[1]).ToArray();
        return table.index_select(0, ids.flatten()).view(shape);
    }

    /// <summary>The semantic history encoder, or null when the semantic view is off.</summary>
    public SemanticHistoryEncoder? SemanticEncoder => sem_encoder;

    /// <summary>The config the model was built with.</summary>
    public GenSRModelConfig Config { get; }

    /// <summary>The encoder–decoder backbone.</summary>
    public T5ForConditionalGeneration Backbone => backbone;

    /// <summary>The device of the parameters.</summary>
    public Device Device => backbone.Device;

    /// <summary>The frozen CF item embeddings <c>[items, d_cf]</c>.</summary>
    public Tensor ItemCollaborative => _itemCollaborative;

    /// <summary>Parameters of the encoder's last block, a default place to probe gradient conflict.</summary>
    public IEnumerable<Parameter> SharedEncoderParameters() =>
        backbone.named_parameters()
            .Where(p => p.name.StartsWith($"encoder.block.{Config.Backbone.NumLayers - 1}.", StringComparison.Ordinal))
            .Select(p => p.parameter);

    /// <summary>Runs the prompt encoder with the soft tokens in place.</summary>
    public GenSREncoding Encode(GenSRBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var prompt = batch.Prompt;
        var embeds = backbone.EmbedTokens(prompt.InputIds);
        var d = Config.Backbone.DModel;
        var queryEmbedding = MeanEmbedding(batch.QueryIds, batch.QueryMask);
        var target = task_target.forward(batch.Tasks).Plus(queryEmbedding);
        Tensor? queryVector = null;
        if (query_proj is not null)
        {
            var raw = batch.QueryVectors
                ?? throw new ArgumentException("The model reads query vectors but the batch has none; build it with a query encoder.", nameof(batch));
            // Every row gets the projection (a learned "no query" vector where the input is zero); only search rows add it to the target.
            queryVector = query_proj.forward(raw.to(ScalarType.Float32));
            var isSearch = batch.Tasks.EqScalar((long)TaskKind.Search).to(queryVector.dtype).unsqueeze(-1);
            target = target.Plus(queryVector * isSearch);
        }
        Tensor? cfItem = null, semItem = null;
        if (batch.Pointwise)
        {
            if (cf_item_proj is not null)
            {
                cfItem = cf_item_proj.forward(_itemCollaborative.index_select(0, batch.Candidates));
                target = target.Plus(cfItem);
            }

            if (sem_item_proj is not null)
            {
                var titles = TitleColumns().index_select(0, batch.Candidates);
                semItem = sem_item_proj.forward(MeanEmbedding(titles, titles.NeScalar(_padId)));
                target = target.Plus(semItem);
            }
        }

        var (b, h) = (batch.HistoryItems.shape[0], batch.HistoryItems.shape[1]);
        Tensor? cfUser = null, semUser = null;
        if (cf_encoder is not null)
        {
            var histCf = _itemCollaborative.index_select(0, batch.HistoryItems.flatten()).view(b, h, -1);
            cfUser = cf_user_proj!.forward(cf_encoder.forward(histCf, batch.HistoryMask, batch.HistoryTasks, target));
        }

        if (sem_encoder is not null && Config.SemanticViewInput == SemanticViewInput.ItemVectors)
        {
            semUser =
                sem_user_proj!.forward(sem_encoder.forward(batch.HistoryItems.unsqueeze(-1), batch.HistoryMask.unsqueeze(-1), batch.HistoryTasks, target));
        }
        else if (sem_encoder is not null)
        {
            var titles = TitleColumns().index_select(0, batch.HistoryItems.flatten()).view(b, h, -1);
            var tokenMask = titles.NeScalar(_padId).logical_and(batch.HistoryMask.unsqueeze(-1));
            semUser = sem_user_proj!.forward(sem_encoder.forward(titles, tokenMask, batch.HistoryTasks, target));
        }

        var columns = new List<long>();
        var vectors = new List<Tensor>();
        for (var s = 0; s < prompt.SoftTokenKinds.Count; s++)
        {
            var vector = prompt.SoftTokenKinds[s] switch
            {
                SoftTokenKind.CollaborativeUser => cfUser,
                SoftTokenKind.SemanticUser => semUser,
                SoftTokenKind.CollaborativeItem => cfItem,
                SoftTokenKind.SemanticItem => semItem,
                SoftTokenKind.QueryVector => queryVector,
                _ => null,
            };
            if (vector is null) continue; // a disabled view keeps the soft-token placeholder's embedding
            columns.Add(s);
            vectors.Add(vector.to(embeds.dtype));
        }

        if (vectors.Count > 0)
        {
            var positions = prompt.SoftTokenPositions.index_select(1, tensor(columns.ToArray(), device: embeds.device));
            var index = positions.unsqueeze(-1).expand(-1, -1, d);
            embeds = embeds.scatter(1, index, stack(vectors, 1));
        }

        var hidden = backbone.Encode(embeds, prompt.AttentionMask);
        return new GenSREncoding(hidden.MoveToOuterDisposeScope(), prompt.AttentionMask.alias().MoveToOuterDisposeScope(),
            cfUser?.MoveToOuterDisposeScope(), semUser?.MoveToOuterDisposeScope(), queryVector?.MoveToOuterDisposeScope(),
            dense_lexical_proj is null ? null : queryEmbedding.MoveToOuterDisposeScope(),
            dense_history_proj is null ? null : batch.HistoryItems.alias().MoveToOuterDisposeScope(),
            dense_history_proj is null ? null : batch.HistoryMask.alias().MoveToOuterDisposeScope());
    }

    /// <summary>The title-token columns of the item token table <c>[items, title_tokens]</c> (all of it without dense category tokens).</summary>
    private Tensor TitleColumns() => Config.HasDenseCategories ? _itemTitleIds.narrow(1, 0, Config.TitleTokens) : _itemTitleIds;

    /// <summary>Teacher-forced forward pass: encoder with soft tokens, decoder on the right-shifted labels.</summary>
    /// <exception cref="ArgumentException">The batch has no labels.</exception>
    public GenSROutput Forward(GenSRBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var labels = batch.Labels ?? throw new ArgumentException("The batch has no labels; build it with withLabels: true.", nameof(batch));
        using var encoding = Encode(batch);
        using var scope = NewDisposeScope();
        var decoderInput = backbone.ShiftRight(labels);
        var logits = backbone.Decode(decoderInput, encoding.Hidden, encoding.AttentionMask);
        var dense = Config.HasDenseHead && !batch.Pointwise ? DenseScores(encoding) : null;
        return new GenSROutput(logits.MoveToOuterDisposeScope(), encoding.CollaborativeUser?.alias().MoveToOuterDisposeScope(),
            encoding.SemanticUser?.alias().MoveToOuterDisposeScope(), dense?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The dense head's item table <c>[items, d_dense]</c>: a learned item embedding plus the projected frozen collaborative
    /// vector plus the projected mean title-token embedding (so an item with few interactions still has a text-based vector),
    /// plus the projected pretrained text vector in a model with query vectors, plus the projected mean category-word
    /// embedding in a model with <see cref="GenSRModelConfig.DenseCategoryTokens"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no dense head.</exception>
    public Tensor DenseItemTable()
    {
        RequireDenseHead();
        var table = DenseItemTable(out var categoryRows);
        categoryRows?.Dispose();
        return table;
    }

    /// <summary>The dense item table, and the projected category-word rows <c>[items, d_dense]</c> it adds (null without category words).</summary>
    private Tensor DenseItemTable(out Tensor? categoryRows)
    {
        using var scope = NewDisposeScope();
        var titleIds = TitleColumns();
        var titles = MeanEmbedding(titleIds, titleIds.NeScalar(_padId));
        var table = dense_item_embeddings!.weight!.Plus(dense_cf_proj!.forward(_itemCollaborative)).Plus(dense_title_proj!.forward(titles));
        if (dense_text_proj is not null) table = table.Plus(dense_text_proj.forward(_itemTextVectors!));
        categoryRows = null;
        if (dense_lexical_proj is not null)
        {
            var categoryIds = _itemTitleIds.narrow(1, Config.TitleTokens, Config.DenseCategoryTokens);
            var rows = dense_lexical_proj.forward(MeanEmbedding(categoryIds, categoryIds.NeScalar(_padId)).to(ScalarType.Float32));
            table = table.Plus(rows);
            categoryRows = rows.MoveToOuterDisposeScope();
        }
        return table.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The dense head's user vectors <c>[batch, d_dense]</c>: the masked mean of the encoder states, projected, plus the
    /// projected query vector in a model with query vectors, plus the mean query-token embedding through the category
    /// words' projection in a model with <see cref="GenSRModelConfig.DenseCategoryTokens"/>, plus the projected
    /// recency-weighted mean of the history items' item-table rows in a model with <see cref="GenSRModelConfig.DenseHistory"/>,
    /// plus the projected user soft tokens in a model with <see cref="GenSRModelConfig.DenseSoftTokens"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no dense head.</exception>
    public Tensor DenseUser(GenSREncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        RequireDenseHead();
        if (dense_history_proj is null) return DenseUser(encoding, null);
        using var table = DenseItemTable();
        return DenseUser(encoding, table);
    }

    /// <summary>The dense user vectors, reading the history's rows from <paramref name="table"/> (the item table, needed with
    /// <see cref="GenSRModelConfig.DenseHistory"/>).</summary>
    private Tensor DenseUser(GenSREncoding encoding, Tensor? table)
    {
        using var scope = NewDisposeScope();
        var weights = encoding.AttentionMask.to(encoding.Hidden.dtype).unsqueeze(-1);
        var pooled = (encoding.Hidden * weights).sum(1) / weights.sum(1).ClampMinScalar(1);
        var user = dense_user_proj!.forward(pooled.to(ScalarType.Float32));
        if (dense_query_proj is not null && encoding.QueryVector is { } query) user = user.Plus(dense_query_proj.forward(query));
        if (dense_lexical_proj is not null)
        {
            var words = encoding.QueryEmbedding ?? throw new ArgumentException(
                "The model matches query words with category words, so the encoding needs the query embedding; make it with this model's Encode.",
                nameof(encoding));
            user = user.Plus(dense_lexical_proj.forward(words.to(ScalarType.Float32)));
        }

        if (dense_history_proj is not null)
        {
            var items = encoding.HistoryItems ?? throw new ArgumentException(
                "The model's dense head reads the history's rows, so the encoding needs the history; make it with this model's Encode.", nameof(encoding));
            user = user.Plus(dense_history_proj.forward(HistoryRows(items, encoding.HistoryMask!, table!)));
        }

        if (dense_soft_proj is not null) user = user.Plus(dense_soft_proj.forward(SoftTokens(encoding)));

        return user.MoveToOuterDisposeScope();
    }

    /// <summary>The user soft tokens the dense head reads, <c>[batch, views · d_model]</c> float32: collaborative, then semantic.</summary>
    private Tensor SoftTokens(GenSREncoding encoding)
    {
        var views = new List<Tensor>(2);
        if (Config.UseCollaborativeView) views.Add(RequireSoftToken(encoding.CollaborativeUser, "collaborative"));
        if (Config.UseSemanticView) views.Add(RequireSoftToken(encoding.SemanticUser, "semantic"));
        return views.Count == 1 ? views[0].to(ScalarType.Float32) : cat(views, 1).to(ScalarType.Float32);
    }

    private static Tensor RequireSoftToken(Tensor? token, string view) => token ?? throw new ArgumentException(
        $"The model's dense head reads the user soft tokens, so the encoding needs the {view} view's; make it with this model's Encode.",
        "encoding");

    /// <summary>
    /// The recency-weighted mean of the history items' rows of <paramref name="table"/> <c>[batch, d_dense]</c>: softmax over
    /// the real positions of one learned logit per position counted from the most recent (zeros for an empty history).
    /// </summary>
    private Tensor HistoryRows(Tensor items, Tensor mask, Tensor table)
    {
        var (b, h) = (items.shape[0], items.shape[1]);
        var lengths = mask.sum(1, keepdim: true);
        // History is oldest first and right-padded: the most recent real item has recency 0.
        var recency = lengths.Minus(TensorScalarOps.Arange(h, items.device).unsqueeze(0)).AddScalar(-1L)
                             .ClampMinScalar(0L).ClampMaxScalar(Config.MaxHistory - 1);
        var logits = dense_history_recency!.index_select(0, recency.flatten()).view(b, h).MaskedFill(mask.logical_not(), -1e9);
        var weights = nn.functional.softmax(logits, 1) * mask.to(ScalarType.Float32);
        var rows = table.index_select(0, items.flatten()).view(b, h, -1);
        return (rows * weights.unsqueeze(-1)).sum(1);
    }

    /// <summary>
    /// The dense head's score of every catalogue item for each row, <c>[batch, items]</c> float32: user vector · item
    /// vector + item bias, plus s · cos(P q, P c) in a model with <see cref="GenSRModelConfig.DenseCategoryCosine"/>.
    /// Trained as logits of a full softmax over the catalogue.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no dense head.</exception>
    public Tensor DenseScores(GenSREncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        RequireDenseHead();
        using var scope = NewDisposeScope();
        var table = DenseItemTable(out var categoryRows);
        var user = DenseUser(encoding, table);
        var scores = user.matmul(table.t()).Plus(dense_item_bias!.unsqueeze(0));
        if (dense_lexical_scale is not null)
        {
            // A request without query words has a zero mean embedding, which normalises to zero: no word match.
            var words = dense_lexical_proj!.forward(encoding.QueryEmbedding!.to(ScalarType.Float32));
            var cosine = nn.functional.normalize(words, 2, -1).matmul(nn.functional.normalize(categoryRows!, 2, -1).t());
            scores = scores.Plus(cosine * dense_lexical_scale);
        }
        return scores.MoveToOuterDisposeScope();
    }

    private void RequireDenseHead()
    {
        if (!Config.HasDenseHead) throw new InvalidOperationException("The model has no dense head (GenSRModelConfig.DenseDimension is 0).");
    }

    /// <summary>Mean of the shared token embeddings over the real tokens: ids <c>[batch, n]</c>, mask <c>[batch, n]</c> → <c>[batch, d_model]</c> (zeros
    /// where no token is real).</summary>
    public Tensor MeanEmbedding(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var embedded = backbone.EmbedTokens(ids);
        var weights = mask.to(embedded.dtype).unsqueeze(-1);
        return ((embedded * weights).sum(1) / weights.sum(1).ClampMinScalar(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A new model for this catalogue plus <c>n</c> new items, with every weight of this one: rows are appended to the item
    /// tables (collaborative vectors, title tokens, text vectors) and, in the dense head, each new item's learned embedding
    /// and bias start as the mean of its <paramref name="neighbours"/>' (items like it, from their text). The new model is on
    /// this model's device, in eval mode; this model is left as it was.
    /// </summary>
    /// <param name="collaborative">The new items' collaborative vectors <c>[n, d_cf]</c>.</param>
    /// <param name="titleIds">Their item tokens <c>[n, title_tokens + dense_category_tokens]</c> int64, pad-filled.</param>
    /// <param name="textVectors">Their text vectors <c>[n, item_text_vector_dimension]</c>, exactly when the model has a text-vector table.</param>
    /// <param name="neighbours">Per new item, existing item ids whose dense-head rows it starts from (at least one).</param>
    /// <exception cref="ArgumentException">A shape disagrees with the config, or a neighbour list is empty or out of range.</exception>
    public GenSRModel WithItems(Tensor collaborative, Tensor titleIds, Tensor? textVectors, IReadOnlyList<IReadOnlyList<int>> neighbours)
    {
        ArgumentNullException.ThrowIfNull(collaborative);
        ArgumentNullException.ThrowIfNull(titleIds);
        ArgumentNullException.ThrowIfNull(neighbours);
        var n = (int)collaborative.shape[0];
        if (titleIds.dim() != 2 || titleIds.shape[1] != Config.ItemTokenColumns)
            throw new ArgumentException(
                $"The new items' tokens must be [n, {Config.ItemTokenColumns}]; got [{string.Join(", ", titleIds.shape)}].", nameof(titleIds));
        if (n < 1 || neighbours.Count != n || titleIds.shape[0] != n || (textVectors is not null && textVectors.shape[0] != n))
            throw new ArgumentException($"Give the same number (≥ 1) of new items' collaborative vectors ({n}), title tokens ({titleIds.shape[0]}), text " +
                $"vectors and neighbour lists ({neighbours.Count}).", nameof(neighbours));
        if (neighbours.Any(list => list.Count == 0 || list.Any(j => (uint)j >= (uint)Config.ItemCount)))
            throw new ArgumentException($"Every new item needs at least one neighbour among the {Config.ItemCount} existing items.", nameof(neighbours));
        var config = Config with { ItemCount = Config.ItemCount + n };
        using var noGrad = no_grad();
        // The item tables are built in a scope and moved out of it; the new model is created after it, so that no scope
        // owns (and frees) its parameters.
        Dictionary<string, Tensor> replaced;
        using (var scope = NewDisposeScope())
        {
            var state = state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
            Tensor Append(string name, Tensor rows) => cat([state[name], rows.to(state[name].dtype).cpu()], 0);
            replaced = new Dictionary<string, Tensor>
            {
                [ItemCollaborativeName] = Append(ItemCollaborativeName, collaborative),
                [ItemTitleIdsName] = Append(ItemTitleIdsName, titleIds),
            };
            if (config.HasItemTextVectors)
                replaced[ItemTextVectorsName] = Append(ItemTextVectorsName,
                    textVectors
                        ?? throw new ArgumentException("The model has an item text-vector table, so the new items need text vectors.", nameof(textVectors)));
            else if (textVectors is not null)
                throw new ArgumentException("The model has no item text-vector table; give no text vectors.", nameof(textVectors));
            if (Config.HasDenseHead)
            {
                Tensor Means(Tensor table) =>
                    stack(neighbours.Select(list => table.index_select(0, tensor(list.Select(j => (long)j).ToArray())).mean([0])).ToArray(), 0);
                replaced["dense_item_embeddings.weight"] = cat([state["dense_item_embeddings.weight"], Means(state["dense_item_embeddings.weight"])], 0);
                replaced["dense_item_bias"] = cat([state["dense_item_bias"], Means(state["dense_item_bias"].unsqueeze(1)).squeeze(1)], 0);
            }

            foreach (var (name, value) in state)
                if (!replaced.ContainsKey(name)) replaced[name] = value;
            foreach (var value in replaced.Values) value.MoveToOuterDisposeScope();
        }

        try
        {
            var model = new GenSRModel(config, replaced[ItemCollaborativeName], replaced[ItemTitleIdsName], (int)_padId, device: null,
                                       itemTextVectors: replaced.GetValueOrDefault(ItemTextVectorsName));
            try
            {
                foreach (var (name, target) in model.state_dict()) target.copy_(replaced[name]);
                if (Device.type != DeviceType.CPU) model.to(Device);
                model.eval();
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var value in replaced.Values) value.Dispose();
        }
    }

    /// <summary>Whether the model has been disposed (its weights are gone).</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Switches the backbone's numeric precision (see <see cref="T5Precision"/>).</summary>
    public void UsePrecision(T5Precision precision) => backbone.UsePrecision(precision);

    private void RefreshBuffers()
    {
        foreach (var (name, buffer) in named_buffers(recurse: false))
        {
            if (name == ItemCollaborativeName) _itemCollaborative = buffer;
            else if (name == ItemTitleIdsName) _itemTitleIds = buffer;
            else if (name == ItemTextVectorsName) _itemTextVectors = buffer;
        }
    }
}
