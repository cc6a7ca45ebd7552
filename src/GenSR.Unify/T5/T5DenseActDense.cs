using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>The plain feed-forward network <c>wo(dropout(act(wi(x))))</c> of original T5 (<c>feed_forward_proj</c> <c>relu</c>,
/// <c>gelu</c>, <c>silu</c>).</summary>
internal sealed class T5DenseActDense : nn.Module<Tensor, Tensor>
{
    private readonly T5Linear wi;
    private readonly T5Linear wo;
    private readonly Dropout dropout;
    private readonly string activation;

    /// <summary>Creates the network.</summary>
    public T5DenseActDense(T5Config config, T5ComputeContext context) : base(nameof(T5DenseActDense))
    {
        wi = new T5Linear(config.DModel, config.DFf, context);
        wo = new T5Linear(config.DFf, config.DModel, context);
        dropout = nn.Dropout(config.DropoutRate);
        activation = config.FeedForwardProj;
        RegisterComponents();
    }

    /// <summary>The input projection [d_ff, d_model].</summary>
    public T5Linear Wi => wi;

    /// <summary>The output projection [d_model, d_ff].</summary>
    public T5Linear Wo => wo;

    /// <summary>Maps [..., d_model] to [..., d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dropout.forward(T5Activation.Apply(activation, wi.forward(x)));
        return wo.forward(h).MoveToOuterDisposeScope();
    }
}
