using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// SASRec (Kang &amp; McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018): item embedding (scaled by √d) plus a
/// learned positional embedding, then blocks of causal self-attention and a point-wise feed-forward network, each with
/// layer normalisation, residual connection and dropout; the state at position t scores every item by a dot product with
/// the item embedding shared with the input layer, as in the paper. Histories are left-padded so the most recent
/// event sits at the last position.
/// </summary>
/// <remarks>
/// Parameter names follow the common PyTorch implementation of the paper: <c>item_emb</c>, <c>pos_emb</c>,
/// <c>attention_layernorms.i</c>, <c>attention_layers.i</c>, <c>forward_layernorms.i</c>, <c>forward_layers.i</c>,
/// <c>last_layernorm</c>. Row 0 of <c>item_emb</c> is padding; item id <c>i</c> is row <c>i + 1</c>.
/// </remarks>
public sealed class SasRecModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "item_emb")]
    private readonly Embedding _itemEmbedding;

    [ComponentName(Name = "pos_emb")]
    private readonly Embedding _positionEmbedding;

    [ComponentName(Name = "emb_dropout")]
    private readonly Dropout _embeddingDropout;

    [ComponentName(Name = "attention_layernorms")]
    private readonly ModuleList<LayerNorm> _attentionLayerNorms;

    [ComponentName(Name = "attention_layers")]
    private readonly ModuleList<MaskedSelfAttention> _attentionLayers;

    [ComponentName(Name = "forward_layernorms")]
    private readonly ModuleList<LayerNorm> _forwardLayerNorms;

    [ComponentName(Name = "forward_layers")]
    private readonly ModuleList<PointWiseFeedForward> _forwardLayers;

    [ComponentName(Name = "last_layernorm")]
    private readonly LayerNorm _lastLayerNorm;

    /// <summary>Creates a randomly initialised model (Xavier-normal weights, as in the PyTorch implementations of the paper).</summary>
    /// <param name="itemCount">Items in the catalogue (at least 1).</param>
    /// <param name="options">Hyper-parameters.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public SasRecModel(int itemCount, SasRecOptions options) : base(nameof(SasRecModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        options.Validate();
        Options = options;
        ItemCount = itemCount;
        var d = options.HiddenSize;
        _itemEmbedding = nn.Embedding(itemCount + 1, d, padding_idx: 0);
        _positionEmbedding = nn.Embedding(options.MaxLength, d);
        _embeddingDropout = nn.Dropout(options.Dropout);
        _attentionLayerNorms = nn.ModuleList(Enumerable.Range(0, options.Blocks).Select(_ => nn.LayerNorm(d, 1e-8)).ToArray());
        _attentionLayers = nn.ModuleList(Enumerable.Range(0, options.Blocks).Select(_ => new MaskedSelfAttention(d, options.Heads, options.Dropout)).ToArray());
        _forwardLayerNorms = nn.ModuleList(Enumerable.Range(0, options.Blocks).Select(_ => nn.LayerNorm(d, 1e-8)).ToArray());
        _forwardLayers = nn.ModuleList(Enumerable.Range(0, options.Blocks).Select(_ => new PointWiseFeedForward(d, options.Dropout)).ToArray());
        _lastLayerNorm = nn.LayerNorm(d, 1e-8);
        RegisterComponents();

        using var noGrad = no_grad();
        // The initialisers and the row view return new tensor handles: this scope frees them (the parameters stay).
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() >= 2) nn.init.xavier_normal_(parameter);
            else if (name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains("layernorm", StringComparison.Ordinal)) parameter.zero_();
        }
        _itemEmbedding.weight![0].zero_();
    }

    /// <summary>The hyper-parameters.</summary>
    public SasRecOptions Options { get; }

    /// <summary>Items in the catalogue.</summary>
    public int ItemCount { get; }

    /// <summary>The item embeddings used for prediction, [items, hidden] (item id = row; the padding row left out).</summary>
    public Tensor ItemWeights => _itemEmbedding.weight!.narrow(0, 1, ItemCount);

    /// <summary>Encodes histories.</summary>
    /// <param name="items">[batch, len] int64 item ids + 1, 0 = padding, left-padded; len ≤ <see cref="SasRecOptions.MaxLength"/>.</param>
    /// <returns>[batch, len, hidden] states; the state at t predicts the event after position t.</returns>
    public override Tensor forward(Tensor items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.dim() != 2 || items.shape[1] > Options.MaxLength)
            throw new ArgumentException($"items must be [batch, len ≤ {Options.MaxLength}]; got [{string.Join(", ", items.shape)}].", nameof(items));
        using var scope = NewDisposeScope();
        var length = items.shape[1];
        var positions = TensorScalarOps.Arange(Options.MaxLength - length, Options.MaxLength, items.device).unsqueeze(0);
        var sequence = _itemEmbedding.forward(items).MulScalar(Math.Sqrt(Options.HiddenSize)).Plus(_positionEmbedding.forward(positions));
        sequence = _embeddingDropout.forward(sequence);
        var timeline = items.NeScalar(0).unsqueeze(-1).to(sequence.dtype);
        sequence = sequence * timeline;
        var allowed = AttentionMasks.CausalOverRealEvents(items);
        for (var i = 0; i < Options.Blocks; i++)
        {
            var normalized = _attentionLayerNorms[i].forward(sequence);
            sequence = normalized.Plus(_attentionLayers[i].forward(normalized, sequence, allowed));
            sequence = _forwardLayers[i].forward(_forwardLayerNorms[i].forward(sequence)) * timeline;
        }
        return _lastLayerNorm.forward(sequence).MoveToOuterDisposeScope();
    }

    /// <summary>Scores every item for each state: [N, hidden] → [N, items] (dot products with <see cref="ItemWeights"/>).</summary>
    /// <param name="states">States from <see cref="forward"/>.</param>
    public Tensor ScoreItems(Tensor states) => states.matmul(ItemWeights.t());
}
