using GenSR.Core;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// The semantic view of a user's unified search-and-recommendation history (GenSR, Zhao et al., arXiv 2504.06714): the
/// first title tokens of each history item, embedded with the language model's own (shared) input embedding → flattened
/// to one token sequence (+ learned item-recency, token-index and task embeddings) → a 1-layer Transformer encoder with a
/// padding mask → target-aware soft filtering (<see cref="TargetSoftFilter"/>: attention of every history token against
/// the target, softmax over the real tokens) → weighted sum → one vector.
/// </summary>
/// <remarks>
/// <para><b>Inputs.</b> Token ids <c>[batch, hist, tokens]</c> (int64; <c>tokens ≤ MaxTokensPerItem</c>, typically the first
/// ~10 title tokens), a token mask of the same shape (bool, true = real token; an item with no real token is padding),
/// optional task ids <c>[batch, hist]</c> (int64) and the target <c>[batch, d_target]</c>. Positions count real items
/// from the most recent (0) and real tokens from the start of each title, so padding never shifts them.</para>
/// <para><b>Shared embedding.</b> The token embedding passed to the constructor belongs to the language model: it is
/// called, not registered, so its parameters appear in neither this module's <c>parameters()</c> nor its
/// <c>state_dict()</c> — the model that owns it saves and optimises it (gradients do flow into it), and moving this module
/// to a device does not move it.</para>
/// <para><b>Targets.</b> Pointwise mode: the candidate item's title encoding (<see cref="HistoryTarget.FromTokens"/>).
/// Generative search: the query's encoding (<see cref="HistoryTarget.FromTokens"/> over the query's tokens). Generative
/// recommendation: <see cref="TaskTarget.For"/> with <see cref="GenSR.Core.TaskKind.Recommendation"/>.</para>
/// <para>Parameter names: <c>input_projection</c> (only when the model width differs from the token width),
/// <c>item_position_embeddings</c>, <c>token_position_embeddings</c>, <c>task_embeddings</c>, <c>input_layer_norm</c>,
/// <c>layer.*</c> (HF BERT layer names), <c>soft_filter.*</c> (its <c>query</c> maps the target), <c>output_projection</c>.</para>
/// </remarks>
public sealed class SemanticHistoryEncoder : nn.Module<Tensor, Tensor, Tensor?, Tensor, Tensor>
{
    // A delegate, not a module field: RegisterComponents would otherwise adopt the language model's embedding.
    private readonly Func<Tensor, Tensor> _embedTokens;

    [ComponentName(Name = "input_projection")]
    private readonly Linear? _inputProjection;

    [ComponentName(Name = "item_position_embeddings")]
    private readonly Embedding? _itemPositionEmbeddings;

    [ComponentName(Name = "token_position_embeddings")]
    private readonly Embedding? _tokenPositionEmbeddings;

    [ComponentName(Name = "task_embeddings")]
    private readonly Embedding? _taskEmbeddings;

    [ComponentName(Name = "input_layer_norm")]
    private readonly LayerNorm _inputLayerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    [ComponentName(Name = "layer")]
    private readonly BertLayer _layer;

    [ComponentName(Name = "soft_filter")]
    private readonly TargetSoftFilter _softFilter;

    [ComponentName(Name = "output_projection")]
    private readonly Linear _outputProjection;

    /// <summary>Creates a randomly initialised encoder over a shared token embedding.</summary>
    /// <param name="options">Options.</param>
    /// <param name="tokenEmbedding">The language model's input embedding: int64 ids <c>[…]</c> → <c>[…, TokenDimension]</c>.</param>
    /// <exception cref="ArgumentException">The model width is not a multiple of <see cref="SemanticHistoryEncoderOptions.Heads"/>.</exception>
    public SemanticHistoryEncoder(SemanticHistoryEncoderOptions options, nn.Module<Tensor, Tensor> tokenEmbedding) : base(nameof(SemanticHistoryEncoder))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenEmbedding);
        var d = options.ModelDimension ?? options.TokenDimension;
        if (d % options.Heads != 0)
            throw new ArgumentException($"SemanticHistoryEncoderOptions.ModelDimension ({d}) must be a multiple of Heads ({options.Heads}).", nameof(options));
        Options = options;
        ModelDimension = d;
        CompactPadding = options.CompactPadding;
        _embedTokens = tokenEmbedding.call;
        _inputProjection = d != options.TokenDimension ? nn.Linear(options.TokenDimension, d) : null;
        _itemPositionEmbeddings = options.UsePositionEmbedding ? nn.Embedding(options.MaxHistoryLength, d) : null;
        _tokenPositionEmbeddings = options.UsePositionEmbedding ? nn.Embedding(options.MaxTokensPerItem, d) : null;
        _taskEmbeddings = options.UseTaskEmbedding ? nn.Embedding(TaskTarget.TaskCount, d) : null;
        _inputLayerNorm = nn.LayerNorm(d, 1e-12);
        _dropout = nn.Dropout(options.Dropout);
        _layer = new BertLayer(d, options.Heads, options.FeedForwardDimension ?? 4 * d, "gelu", 1e-12, options.Dropout, options.Dropout);
        _softFilter = new TargetSoftFilter(d, TargetDimension);
        _outputProjection = nn.Linear(d, OutputDimension);
        RegisterComponents();
    }

    /// <summary>The options the encoder was built with.</summary>
    public SemanticHistoryEncoderOptions Options { get; }

    /// <summary>Width of the Transformer.</summary>
    public int ModelDimension { get; }

    /// <summary>
    /// Whether padding is dropped before the Transformer (<see cref="SemanticHistoryEncoderOptions.CompactPadding"/>, the
    /// initial value). A speed switch only: it changes no weight and, up to float rounding, no output.
    /// </summary>
    public bool CompactPadding { get; set; }

    /// <summary>Width of the target vectors this encoder takes.</summary>
    public int TargetDimension => Options.TargetDimension ?? Options.TokenDimension;

    /// <summary>Width d_out of the output vector.</summary>
    public int OutputDimension => Options.OutputDimension ?? ModelDimension;

    /// <summary>Encodes a batch of histories into one vector each.</summary>
    /// <param name="tokenIds">Title token ids <c>[batch, hist, tokens]</c>, int64; ids at padding must be valid ids (e.g. the pad id) and are ignored.</param>
    /// <param name="tokenMask">Real tokens <c>[batch, hist, tokens]</c>, bool.</param>
    /// <param name="taskIds">Task of each history item <c>[batch, hist]</c>, int64; null adds no task signal.</param>
    /// <param name="target">Target vectors <c>[batch, d_target]</c>.</param>
    /// <returns>The user vector <c>[batch, d_out]</c>.</returns>
    public override Tensor forward(Tensor tokenIds, Tensor tokenMask, Tensor? taskIds, Tensor target)
    {
        using var encoding = Encode(tokenIds, tokenMask, taskIds, target);
        return encoding.Vector.alias();
    }

    /// <summary>Like <see cref="forward"/>, also returning the soft-filter weights <c>[batch, hist, tokens]</c>.</summary>
    /// <exception cref="ArgumentException">A shape or dtype does not match (the message names the argument and what was expected).</exception>
    public HistoryEncoding Encode(Tensor tokenIds, Tensor tokenMask, Tensor? taskIds, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        ArgumentNullException.ThrowIfNull(tokenMask);
        ArgumentNullException.ThrowIfNull(target);
        if (tokenIds.dim() != 3)
            throw new ArgumentException($"tokenIds must be [batch, hist, tokens]; got [{string.Join(", ", tokenIds.shape)}].", nameof(tokenIds));
        var (batch, length, tokens) = (tokenIds.shape[0], tokenIds.shape[1], tokenIds.shape[2]);
        HistoryInputChecks.Ids(tokenIds, [batch, length, tokens], nameof(tokenIds));
        if (length > Options.MaxHistoryLength)
            throw new ArgumentException($"The history has {length} items; MaxHistoryLength is {Options.MaxHistoryLength}.", nameof(tokenIds));
        if (tokens > Options.MaxTokensPerItem)
            throw new ArgumentException($"Each item has {tokens} token positions; MaxTokensPerItem is {Options.MaxTokensPerItem}.", nameof(tokenIds));
        HistoryInputChecks.Mask(tokenMask, [batch, length, tokens], nameof(tokenMask));
        if (taskIds is not null) HistoryInputChecks.Ids(taskIds, [batch, length], nameof(taskIds));
        HistoryInputChecks.Target(target, batch, TargetDimension, nameof(target));

        using var scope = NewDisposeScope();
        var n = length * tokens;
        var x = _embedTokens(tokenIds.reshape(batch, n));
        if (x.dim() != 3 || x.shape[2] != Options.TokenDimension)
            throw new ArgumentException(
                $"The shared token embedding returned [{string.Join(", ", x.shape)}]; expected [{batch}, {n}, {Options.TokenDimension}] (TokenDimension).");
        if (_inputProjection is not null) x = _inputProjection.forward(x);

        // Item-level signals are broadcast to every token of the item.
        Tensor PerToken(Tensor perItem) => perItem.unsqueeze(2).expand(batch, length, tokens, ModelDimension).reshape(batch, n, ModelDimension);
        if (_itemPositionEmbeddings is not null && _tokenPositionEmbeddings is not null)
        {
            var itemMask = tokenMask.any(-1);
            x = x.Plus(PerToken(_itemPositionEmbeddings.forward(HistoryPositions.RecencyRanks(itemMask))))
                 .Plus(_tokenPositionEmbeddings.forward(HistoryPositions.OrdinalRanks(tokenMask).reshape(batch, n)));
        }
        if (_taskEmbeddings is not null && taskIds is not null) x = x.Plus(PerToken(_taskEmbeddings.forward(taskIds)));
        x = _dropout.forward(_inputLayerNorm.forward(x));

        var flatMask = tokenMask.reshape(batch, n);
        Tensor? order = null;
        if (CompactPadding)
        {
            // Real tokens to the front (a stable sort keeps their order), then cut to the longest row. Positions were
            // embedded above, so moving tokens changes nothing but the work: padding gets no attention and no weight.
            var kept = Math.Max(1L, flatMask.sum(1).max().item<long>());
            if (kept < n)
            {
                order = flatMask.to(ScalarType.Int32).sort(1, descending: true, stable: true).Indices.narrow(1, 0, kept);
                x = x.gather(1, order.unsqueeze(-1).expand(batch, kept, ModelDimension));
                flatMask = flatMask.gather(1, order);
            }
        }

        x = _layer.forward(x, BertAttentionMask.Additive(flatMask, x.dtype));
        var weights = _softFilter.forward(x, target, flatMask);
        var pooled = weights.unsqueeze(1).bmm(x).squeeze(1);
        var vector = _outputProjection.forward(pooled);
        if (order is not null) weights = zeros([batch, n], weights.dtype, weights.device).scatter(1, order, weights);
        return new HistoryEncoding(vector.MoveToOuterDisposeScope(), weights.reshape(batch, length, tokens).MoveToOuterDisposeScope());
    }
}
