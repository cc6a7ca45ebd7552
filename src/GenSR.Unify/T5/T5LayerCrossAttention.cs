using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Pre-norm encoder–decoder attention sublayer with a residual connection:
/// <c>h + dropout(EncDecAttention(layer_norm(h), encoder states))</c> (HF <c>T5LayerCrossAttention</c>, the
/// <c>layer.1</c> of every decoder block). Cross-attention has no position bias, only the encoder padding mask.
/// </summary>
/// <remarks>
/// The decoder rows may be a multiple <c>g</c> of the encoder rows (beam hypotheses, query-major): rows
/// <c>b·g .. b·g + g − 1</c> all read encoder row <c>b</c>. They are folded into the query axis, so the encoder keys
/// and values are computed once per query and never repeated per beam; with no position bias this is exact.
/// </remarks>
internal sealed class T5LayerCrossAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly T5Attention EncDecAttention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    /// <summary>Creates the sublayer.</summary>
    public T5LayerCrossAttention(T5Config config, T5ComputeContext context) : base(nameof(T5LayerCrossAttention))
    {
        EncDecAttention = new T5Attention(config, hasRelativeBias: false, bidirectional: true, context);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>The attention module.</summary>
    public T5Attention Attention => EncDecAttention;

    /// <summary>Projects encoder states [B, L, d_model] to per-head keys and values, each [B, heads, L, d_kv].</summary>
    public (Tensor Keys, Tensor Values) ProjectEncoder(Tensor encoderHidden)
    {
        using var scope = NewDisposeScope();
        var keys = EncDecAttention.SplitHeads(EncDecAttention.Key.forward(encoderHidden));
        var values = EncDecAttention.SplitHeads(EncDecAttention.Value.forward(encoderHidden));
        return scope.MoveToOuter(keys, values);
    }

    /// <summary>
    /// Updates the residual stream <paramref name="hidden"/> [B·g, t, d_model] by attending over the encoder
    /// <paramref name="keys"/> and <paramref name="values"/> [B, heads, L, d_kv] with the additive encoder mask
    /// <paramref name="maskBias"/> [B, 1, 1, L].
    /// </summary>
    public override Tensor forward(Tensor hidden, Tensor keys, Tensor values, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        var rows = keys.shape[0];
        var (n, t, d) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        if (n % rows != 0)
            throw new ArgumentException($"Decoder rows ({n}) must be a multiple of encoder rows ({rows}).", nameof(hidden));
        var normed = layer_norm.forward(hidden).reshape(rows, n / rows * t, d);
        var query = EncDecAttention.SplitHeads(EncDecAttention.Query.forward(normed));
        var attended = EncDecAttention.Attend(query, keys, values, maskBias).reshape(n, t, d);
        return hidden.Plus(dropout.forward(attended)).MoveToOuterDisposeScope();
    }
}
