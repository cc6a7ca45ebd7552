using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>
/// The collaborative view of a user's unified search-and-recommendation history (GenSR, Zhao et al., arXiv
/// 2504.06714): frozen CF item embeddings → input projection (+ learned task and recency embeddings) → a 1-layer
/// Transformer encoder over the history with a padding mask → DIN-style target attention pooling
/// (<see cref="TargetAttentionPooling"/>) → one vector.
/// </summary>
/// <remarks>
/// <para><b>Inputs.</b> The caller gathers the pre-trained (frozen) CF vectors of the history's items,
/// <c>[batch, hist, d_cf]</c>, with a padding mask <c>[batch, hist]</c> (bool, true = real event; padding may sit anywhere,
/// left or right), optional task ids <c>[batch, hist]</c> (int64, <see cref="GenSR.Core.TaskKind"/> of each event)
/// and the target <c>[batch, d_target]</c>. Events are in chronological order; the position signal is each event's
/// recency rank among the real events (0 = most recent), so padding never shifts it.</para>
/// <para><b>Targets.</b> Pointwise mode: the candidate item's CF vector (d_target = d_cf). Generative search: the query's
/// encoding, e.g. <see cref="HistoryTarget.FromTokens"/> over the query's tokens with the language model's input
/// embedding (d_target = d_lm). Generative recommendation: <see cref="TaskTarget.For"/> with
/// <see cref="GenSR.Core.TaskKind.Recommendation"/>, a learned vector of the same width as the query encoding.
/// One encoder instance takes targets of one width (<see cref="CollaborativeHistoryEncoderOptions.TargetDimension"/>).</para>
/// <para><b>Padding.</b> Padding keys get no attention in the Transformer and zero pooling weight, so adding padding does
/// not change the output; a row with no real event yields the output projection of a zero vector (finite, never NaN).</para>
/// <para>Parameter names: <c>input_projection</c>, <c>position_embeddings</c>, <c>task_embeddings</c>, <c>input_layer_norm</c>,
/// <c>layer.*</c> (HF BERT layer names: <c>layer.attention.self.query</c>, …), <c>target_projection</c>,
/// <c>target_attention.*</c>, <c>output_projection</c>.</para>
/// </remarks>
public sealed class CollaborativeHistoryEncoder : nn.Module<Tensor, Tensor, Tensor?, Tensor, Tensor>
{
    [ComponentName(Name = "input_projection")]
    private readonly Linear _inputProjection;

    [ComponentName(Name = "position_embeddings")]
    private readonly Embedding? _positionEmbeddings;

    [ComponentName(Name = "task_embeddings")]
    private readonly Embedding? _taskEmbeddings;

    [ComponentName(Name = "input_layer_norm")]
    private readonly LayerNorm _inputLayerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    [ComponentName(Name = "layer")]
    private readonly BertLayer _layer;

    [ComponentName(Name = "target_projection")]
    private readonly Linear _targetProjection;

    [ComponentName(Name = "target_attention")]
    private readonly TargetAttentionPooling _targetAttention;

    [ComponentName(Name = "output_projection")]
    private readonly Linear _outputProjection;

    /// <summary>Creates a randomly initialised encoder.</summary>
    /// <exception cref="ArgumentException"><see cref="CollaborativeHistoryEncoderOptions.ModelDimension"/> is not a multiple of
    /// <see cref="CollaborativeHistoryEncoderOptions.Heads"/>.</exception>
    public CollaborativeHistoryEncoder(CollaborativeHistoryEncoderOptions options) : base(nameof(CollaborativeHistoryEncoder))
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = options.ModelDimension;
        if (d % options.Heads != 0)
            throw new ArgumentException(
                $"CollaborativeHistoryEncoderOptions.ModelDimension ({d}) must be a multiple of Heads ({options.Heads}).", nameof(options));
        Options = options;
        _inputProjection = nn.Linear(options.ItemDimension, d);
        _positionEmbeddings = options.UsePositionEmbedding ? nn.Embedding(options.MaxHistoryLength, d) : null;
        _taskEmbeddings = options.UseTaskEmbedding ? nn.Embedding(TaskTarget.TaskCount, d) : null;
        _inputLayerNorm = nn.LayerNorm(d, 1e-12);
        _dropout = nn.Dropout(options.Dropout);
        _layer = new BertLayer(d, options.Heads, options.FeedForwardDimension ?? 4 * d, "gelu", 1e-12, options.Dropout, options.Dropout);
        _targetProjection = nn.Linear(TargetDimension, d);
        _targetAttention = new TargetAttentionPooling(d, options.AttentionHiddenDimension);
        _outputProjection = nn.Linear(d, OutputDimension);
        RegisterComponents();
    }

    /// <summary>The options the encoder was built with.</summary>
    public CollaborativeHistoryEncoderOptions Options { get; }

    /// <summary>Width of the target vectors this encoder takes.</summary>
    public int TargetDimension => Options.TargetDimension ?? Options.ItemDimension;

    /// <summary>Width d_out of the output vector.</summary>
    public int OutputDimension => Options.OutputDimension ?? Options.ModelDimension;

    /// <summary>Encodes a batch of histories into one vector each.</summary>
    /// <param name="itemEmbeddings">CF vectors of the history's items <c>[batch, hist, d_cf]</c>, float; <c>hist ≤ MaxHistoryLength</c>. Values
    /// at padding are ignored.</param>
    /// <param name="mask">Real events <c>[batch, hist]</c>, bool.</param>
    /// <param name="taskIds">Task of each event <c>[batch, hist]</c>, int64 (values of <see cref="GenSR.Core.TaskKind"/>); null adds no task signal.</param>
    /// <param name="target">Target vectors <c>[batch, d_target]</c>.</param>
    /// <returns>The user vector <c>[batch, d_out]</c>.</returns>
    public override Tensor forward(Tensor itemEmbeddings, Tensor mask, Tensor? taskIds, Tensor target)
    {
        using var encoding = Encode(itemEmbeddings, mask, taskIds, target);
        return encoding.Vector.alias();
    }

    /// <summary>Like <see cref="forward"/>, also returning the target-attention weights <c>[batch, hist]</c>.</summary>
    /// <exception cref="ArgumentException">A shape or dtype does not match (the message names the argument and what was expected).</exception>
    public HistoryEncoding Encode(Tensor itemEmbeddings, Tensor mask, Tensor? taskIds, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(itemEmbeddings);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(target);
        if (itemEmbeddings.dim() != 3 || itemEmbeddings.shape[2] != Options.ItemDimension)
            throw new ArgumentException($"itemEmbeddings must be [batch, hist, {Options.ItemDimension}]; got [{string.Join(", ", itemEmbeddings.shape)}].",
                nameof(itemEmbeddings));
        var (batch, length) = (itemEmbeddings.shape[0], itemEmbeddings.shape[1]);
        if (length > Options.MaxHistoryLength)
            throw new ArgumentException($"The history has {length} positions; MaxHistoryLength is {Options.MaxHistoryLength}.", nameof(itemEmbeddings));
        HistoryInputChecks.Mask(mask, [batch, length], nameof(mask));
        if (taskIds is not null) HistoryInputChecks.Ids(taskIds, [batch, length], nameof(taskIds));
        HistoryInputChecks.Target(target, batch, TargetDimension, nameof(target));

        using var scope = NewDisposeScope();
        var x = _inputProjection.forward(itemEmbeddings);
        if (_positionEmbeddings is not null) x = x.Plus(_positionEmbeddings.forward(HistoryPositions.RecencyRanks(mask)));
        if (_taskEmbeddings is not null && taskIds is not null) x = x.Plus(_taskEmbeddings.forward(taskIds));
        x = _dropout.forward(_inputLayerNorm.forward(x));
        x = _layer.forward(x, BertAttentionMask.Additive(mask, x.dtype));

        var weights = _targetAttention.forward(x, _targetProjection.forward(target), mask);
        var pooled = weights.unsqueeze(1).bmm(x).squeeze(1);
        var vector = _outputProjection.forward(pooled);
        return new HistoryEncoding(vector.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
