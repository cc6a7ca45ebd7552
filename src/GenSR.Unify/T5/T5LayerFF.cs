using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>Pre-norm feed-forward sublayer with a residual connection: <c>h + dropout(DenseReluDense(layer_norm(h)))</c> (the last
/// layer of every block).</summary>
internal sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> DenseReluDense;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    /// <summary>Creates the sublayer with a gated or plain network according to <see cref="T5Config.FeedForwardProj"/>.</summary>
    public T5LayerFF(T5Config config, T5ComputeContext context) : base(nameof(T5LayerFF))
    {
        DenseReluDense = config.IsGatedFeedForward ? new T5DenseGatedActDense(config, context) : new T5DenseActDense(config, context);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>The feed-forward network (<see cref="T5DenseActDense"/> or <see cref="T5DenseGatedActDense"/>).</summary>
    public nn.Module<Tensor, Tensor> Network => DenseReluDense;

    /// <summary>Updates the residual stream [..., d_model].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var forwarded = DenseReluDense.forward(layer_norm.forward(hidden));
        return hidden.Plus(dropout.forward(forwarded)).MoveToOuterDisposeScope();
    }
}
