using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>An encoder block: <c>layer.0</c> bidirectional self-attention, <c>layer.1</c> feed-forward (HF <c>T5Block</c> in an encoder).</summary>
internal sealed class T5EncoderBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> layer;

    /// <summary>Creates a block; <paramref name="hasRelativeBias"/> for the first block only.</summary>
    public T5EncoderBlock(T5Config config, bool hasRelativeBias, T5ComputeContext context) : base(nameof(T5EncoderBlock))
    {
        layer = nn.ModuleList<nn.Module>(
            new T5LayerSelfAttention(config, hasRelativeBias, bidirectional: true, context),
            new T5LayerFF(config, context));
        RegisterComponents();
    }

    /// <summary>The self-attention sublayer (<c>layer.0</c>).</summary>
    public T5LayerSelfAttention SelfAttention => (T5LayerSelfAttention)layer[0];

    /// <summary>The feed-forward sublayer (<c>layer.1</c>).</summary>
    public T5LayerFF FeedForward => (T5LayerFF)layer[1];

    /// <summary>Updates [B, L, d_model] given the additive bias [B, heads, L, L] (positions plus padding mask).</summary>
    public override Tensor forward(Tensor hidden, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var h = SelfAttention.forward(hidden, bias);
        return FeedForward.forward(h).MoveToOuterDisposeScope();
    }
}
