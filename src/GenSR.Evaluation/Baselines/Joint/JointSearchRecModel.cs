using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// A discriminative joint search-and-recommendation model in the family of JSR (Zamani &amp; Croft, "Learning a Joint
/// Search and Recommendation Model from User-Item Interactions", WSDM 2020) and UniSAR (Shi et al., "UniSAR: Modeling
/// User Transition Behaviors between Search and Recommendation", SIGIR 2024): one shared causal Transformer encoder over
/// the unified history and two heads that score the whole catalogue.
/// </summary>
/// <remarks>
/// <para><b>Items.</b> An item is its id embedding plus (optionally) a projection of the mean embedding of its title,
/// brand and category words; the word table is shared with the query encoder, so a query can reach items by their words.</para>
/// <para><b>History events.</b> Item representation + task embedding (search or recommendation) + position embedding
/// (left-padded, the most recent event last) + for search events a projection of their query → layer norm → pre-norm
/// causal Transformer layers → final layer norm: the state at t summarises the history up to t.</para>
/// <para><b>Heads.</b> Recommendation: a linear map of the state, dotted with every item. Search (query-aware): the query
/// (mean of its word embeddings, projected) attends over the history states up to t; the state, that attended summary,
/// the query and the state·query product are fused by a two-layer MLP into a vector dotted with every item.</para>
/// <para>Inputs: <c>items</c> [batch, len] int64 (item id + 1, 0 = padding), <c>tasks</c> [batch, len] int64 (0 padding,
/// 1 recommendation, 2 search), query words [batch, len, words] int64 (0 = padding) and the item word table
/// [items, item words] int64 from the owner.</para>
/// </remarks>
public sealed class JointSearchRecModel : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "item_embeddings")]
    private readonly Embedding _itemEmbeddings;

    [ComponentName(Name = "word_embeddings")]
    private readonly Embedding _wordEmbeddings;

    [ComponentName(Name = "item_text_projection")]
    private readonly Linear? _itemTextProjection;

    [ComponentName(Name = "task_embeddings")]
    private readonly Embedding _taskEmbeddings;

    [ComponentName(Name = "position_embeddings")]
    private readonly Embedding _positionEmbeddings;

    [ComponentName(Name = "history_query_projection")]
    private readonly Linear _historyQueryProjection;

    [ComponentName(Name = "embedding_layer_norm")]
    private readonly LayerNorm _embeddingLayerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<JointEncoderLayer> _layers;

    [ComponentName(Name = "final_layer_norm")]
    private readonly LayerNorm _finalLayerNorm;

    [ComponentName(Name = "recommendation_head")]
    private readonly Linear _recommendationHead;

    [ComponentName(Name = "query_encoder")]
    private readonly Linear _queryEncoder;

    [ComponentName(Name = "search_attention_key")]
    private readonly Linear _searchAttentionKey;

    [ComponentName(Name = "search_fusion")]
    private readonly Linear _searchFusion;

    [ComponentName(Name = "search_output")]
    private readonly Linear _searchOutput;

    /// <summary>Creates a randomly initialised model.</summary>
    /// <param name="itemCount">Items in the catalogue (at least 1).</param>
    /// <param name="wordCount">Known words (the word table has <c>wordCount + 1</c> rows; row 0 is padding).</param>
    /// <param name="options">Hyper-parameters.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public JointSearchRecModel(int itemCount, int wordCount, JointModelOptions options) : base(nameof(JointSearchRecModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(wordCount);
        options.Validate();
        Options = options;
        ItemCount = itemCount;
        var d = options.HiddenSize;
        _itemEmbeddings = nn.Embedding(itemCount + 1, d, padding_idx: 0);
        _wordEmbeddings = nn.Embedding(wordCount + 1, d, padding_idx: 0);
        _itemTextProjection = options.UseItemText ? nn.Linear(d, d) : null;
        _taskEmbeddings = nn.Embedding(SequenceIds.TaskRows, d);
        _positionEmbeddings = nn.Embedding(options.MaxLength, d);
        _historyQueryProjection = nn.Linear(d, d);
        _embeddingLayerNorm = nn.LayerNorm(d);
        _dropout = nn.Dropout(options.Dropout);
        _layers = nn.ModuleList(Enumerable.Range(0, options.Layers).Select(_ => new JointEncoderLayer(d, options.Heads, options.Dropout)).ToArray());
        _finalLayerNorm = nn.LayerNorm(d);
        _recommendationHead = nn.Linear(d, d);
        _queryEncoder = nn.Linear(d, d);
        _searchAttentionKey = nn.Linear(d, d);
        _searchFusion = nn.Linear(4 * d, d);
        _searchOutput = nn.Linear(d, d);
        RegisterComponents();

        using var noGrad = no_grad();
        // The initialisers and the row views return new tensor handles: this scope frees them (the parameters stay).
        using var scope = NewDisposeScope();
        // Small embeddings (std 0.02, as in BERT-style encoders) keep the initial dot-product logits near zero.
        foreach (var table in new[] { _itemEmbeddings, _wordEmbeddings, _taskEmbeddings, _positionEmbeddings })
            nn.init.normal_(table.weight!, 0, 0.02);
        _itemEmbeddings.weight![0].zero_();
        _wordEmbeddings.weight![0].zero_();
    }

    /// <summary>The hyper-parameters.</summary>
    public JointModelOptions Options { get; }

    /// <summary>Items in the catalogue.</summary>
    public int ItemCount { get; }

    /// <summary>The representation of every item plus a zero padding row: [items + 1, hidden] (item id i = row i + 1).</summary>
    /// <param name="itemWords">[items, item words] int64 word ids of each item's text (0 = padding); ignored without item text.</param>
    public Tensor ItemTable(Tensor itemWords)
    {
        ArgumentNullException.ThrowIfNull(itemWords);
        using var scope = NewDisposeScope();
        // A new handle (alias), never the parameter itself: the caller's dispose scope owns what is returned.
        Tensor table = _itemEmbeddings.weight!.alias();
        if (_itemTextProjection is not null)
        {
            if (itemWords.dim() != 2 || itemWords.shape[0] != ItemCount)
                throw new ArgumentException($"itemWords must be [{ItemCount}, words]; got [{string.Join(", ", itemWords.shape)}].", nameof(itemWords));
            var text = _itemTextProjection.forward(MeanWordEmbedding(itemWords));
            table = table.Plus(nn.functional.pad(text, [0, 0, 1, 0]));
        }
        return table.MoveToOuterDisposeScope();
    }

    /// <summary>Encodes histories into per-position states.</summary>
    /// <param name="items">[batch, len] item ids + 1 (0 = padding), left-padded; len ≤ <see cref="JointModelOptions.MaxLength"/>.</param>
    /// <param name="tasks">[batch, len] task ids (0 padding, 1 recommendation, 2 search).</param>
    /// <param name="historyQueryWords">[batch, len, words] query word ids of the history's search events (all 0 elsewhere).</param>
    /// <param name="itemTable">The item table from <see cref="ItemTable"/>.</param>
    /// <returns>[batch, len, hidden] states; the state at t summarises the history up to and including t.</returns>
    public override Tensor forward(Tensor items, Tensor tasks, Tensor historyQueryWords, Tensor itemTable)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(historyQueryWords);
        ArgumentNullException.ThrowIfNull(itemTable);
        if (items.dim() != 2 || items.shape[1] > Options.MaxLength)
            throw new ArgumentException($"items must be [batch, len ≤ {Options.MaxLength}]; got [{string.Join(", ", items.shape)}].", nameof(items));
        using var scope = NewDisposeScope();
        var (batch, length) = (items.shape[0], items.shape[1]);
        var d = Options.HiddenSize;
        var positions = TensorScalarOps.Arange(Options.MaxLength - length, Options.MaxLength, items.device).unsqueeze(0);
        var isSearch = tasks.EqScalar(SequenceIds.Task(GenSR.Core.TaskKind.Search)).unsqueeze(-1).to(itemTable.dtype);
        var x = itemTable.index_select(0, items.view(-1)).view(batch, length, d)
                .Plus(_taskEmbeddings.forward(tasks))
                .Plus(_positionEmbeddings.forward(positions))
                .Plus(_historyQueryProjection.forward(MeanWordEmbedding(historyQueryWords)) * isSearch);
        var timeline = items.NeScalar(0).unsqueeze(-1).to(x.dtype);
        x = _dropout.forward(_embeddingLayerNorm.forward(x)) * timeline;
        var allowed = AttentionMasks.CausalOverRealEvents(items);
        foreach (var layer in _layers)
            x = layer.forward(x, allowed) * timeline;
        return _finalLayerNorm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The recommendation head: states [..., hidden] → user vectors [..., hidden] to dot with the item table.</summary>
    /// <param name="states">States from <see cref="forward"/>.</param>
    public Tensor RecommendationVectors(Tensor states) => _recommendationHead.forward(states);

    /// <summary>
    /// The query-aware search head: at each position t, the query of the event to find attends over the states up to t;
    /// state, attended summary, query and state·query are fused into a vector to dot with the item table.
    /// </summary>
    /// <param name="states">[batch, len, hidden] states from <see cref="forward"/>.</param>
    /// <param name="items">[batch, len] the same item ids (for the mask).</param>
    /// <param name="targetQueryWords">[batch, len, words] the query word ids of the search at each position (0 where none).</param>
    /// <returns>[batch, len, hidden] search vectors.</returns>
    public Tensor SearchVectors(Tensor states, Tensor items, Tensor targetQueryWords)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(targetQueryWords);
        using var scope = NewDisposeScope();
        var query = _queryEncoder.forward(MeanWordEmbedding(targetQueryWords));                      // [batch, len, d]
        var keys = _searchAttentionKey.forward(states);                                               // [batch, len, d]
        var logits = query.matmul(keys.transpose(1, 2)).DivScalar(Math.Sqrt(Options.HiddenSize));              // [batch, len, len]
        var allowed = AttentionMasks.CausalOverRealEvents(items).squeeze(1);
        var weights = logits.MaskedFill(allowed.logical_not(), double.NegativeInfinity).softmax(-1);
        var summary = weights.matmul(states);
        var fused = cat([states, summary, query, states * query], -1);
        var vectors = _searchOutput.forward(nn.functional.gelu(_searchFusion.forward(fused)));
        return vectors.MoveToOuterDisposeScope();
    }

    /// <summary>The masked mean of word embeddings over the last dimension: [..., words] → [..., hidden] (zeros for no words).</summary>
    private Tensor MeanWordEmbedding(Tensor words)
    {
        using var scope = NewDisposeScope();
        var embedded = _wordEmbeddings.forward(words);                     // padding row is zero
        var counts = words.NeScalar(0).sum(-1, keepdim: true).ClampMinScalar(1).to(embedded.dtype);
        return (embedded.sum(-2) / counts).MoveToOuterDisposeScope();
    }
}
