using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Pre-norm self-attention sublayer with a residual connection: <c>h + dropout(SelfAttention(layer_norm(h)))</c>
/// (HF <c>T5LayerSelfAttention</c>, the <c>layer.0</c> of every block).
/// </summary>
internal sealed class T5LayerSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly T5Attention SelfAttention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    /// <summary>Creates the sublayer; <paramref name="hasRelativeBias"/> for the first block of a stack,
    /// <paramref name="bidirectional"/> in the encoder.</summary>
    public T5LayerSelfAttention(T5Config config, bool hasRelativeBias, bool bidirectional, T5ComputeContext context) : base(nameof(T5LayerSelfAttention))
    {
        SelfAttention = new T5Attention(config, hasRelativeBias, bidirectional, context);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>The attention module.</summary>
    public T5Attention Attention => SelfAttention;

    /// <summary>The pre-attention norm.</summary>
    public T5LayerNorm LayerNorm => layer_norm;

    /// <summary>Updates the residual stream <paramref name="hidden"/> [B, t, d_model] given the additive <paramref name="bias"/> (positions and masks)
    /// broadcastable to [B, heads, t, t].</summary>
    public override Tensor forward(Tensor hidden, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var attended = SelfAttention.forward(normed, normed, bias);
        return hidden.Plus(dropout.forward(attended)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One incremental decoding step: <paramref name="hidden"/> [N, 1, d_model]; the new key and value are appended to
    /// layer <paramref name="layerIndex"/> of <paramref name="cache"/> and the query attends over all cached positions
    /// with <paramref name="bias"/> [1, heads, 1, past + 1].
    /// </summary>
    public Tensor Step(Tensor hidden, Tensor bias, T5DecoderCache cache, int layerIndex)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var query = SelfAttention.SplitHeads(SelfAttention.Query.forward(normed));
        var key = SelfAttention.SplitHeads(SelfAttention.Key.forward(normed));
        var value = SelfAttention.SplitHeads(SelfAttention.Value.forward(normed));
        var (keys, values) = cache.AppendSelf(layerIndex, key, value);
        var attended = SelfAttention.Attend(query, keys, values, bias);
        return hidden.Plus(dropout.forward(attended)).MoveToOuterDisposeScope();
    }
}
