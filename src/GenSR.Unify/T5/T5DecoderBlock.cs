using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// A decoder block: <c>layer.0</c> causal self-attention, <c>layer.1</c> encoder–decoder attention, <c>layer.2</c>
/// feed-forward (HF <c>T5Block</c> in a decoder).
/// </summary>
internal sealed class T5DecoderBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> layer;

    /// <summary>Creates a block; <paramref name="hasRelativeBias"/> for the first block only.</summary>
    public T5DecoderBlock(T5Config config, bool hasRelativeBias, T5ComputeContext context) : base(nameof(T5DecoderBlock))
    {
        layer = nn.ModuleList<nn.Module>(
            new T5LayerSelfAttention(config, hasRelativeBias, bidirectional: false, context),
            new T5LayerCrossAttention(config, context),
            new T5LayerFF(config, context));
        RegisterComponents();
    }

    /// <summary>The causal self-attention sublayer (<c>layer.0</c>).</summary>
    public T5LayerSelfAttention SelfAttention => (T5LayerSelfAttention)layer[0];

    /// <summary>The encoder–decoder attention sublayer (<c>layer.1</c>).</summary>
    public T5LayerCrossAttention CrossAttention => (T5LayerCrossAttention)layer[1];

    /// <summary>The feed-forward sublayer (<c>layer.2</c>).</summary>
    public T5LayerFF FeedForward => (T5LayerFF)layer[2];

    /// <summary>
    /// Teacher-forced update of [B, T, d_model]: <paramref name="selfBias"/> [1, heads, T, T] (positions plus causal mask),
    /// encoder <paramref name="crossKeys"/>/<paramref name="crossValues"/> [B, heads, L, d_kv] and mask <paramref name="crossMaskBias"/> [B, 1, 1, L].
    /// </summary>
    public override Tensor forward(Tensor hidden, Tensor selfBias, Tensor crossKeys, Tensor crossValues, Tensor crossMaskBias)
    {
        using var scope = NewDisposeScope();
        var h = SelfAttention.forward(hidden, selfBias);
        h = CrossAttention.forward(h, crossKeys, crossValues, crossMaskBias);
        return FeedForward.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>One incremental step of [N, 1, d_model] against layer <paramref name="layerIndex"/> of <paramref name="cache"/>.</summary>
    public Tensor Step(Tensor hidden, Tensor selfBias, T5DecoderCache cache, int layerIndex)
    {
        using var scope = NewDisposeScope();
        var h = SelfAttention.Step(hidden, selfBias, cache, layerIndex);
        h = CrossAttention.forward(h, cache.CrossKeys[layerIndex], cache.CrossValues[layerIndex], cache.CrossMaskBias);
        return FeedForward.forward(h).MoveToOuterDisposeScope();
    }
}
