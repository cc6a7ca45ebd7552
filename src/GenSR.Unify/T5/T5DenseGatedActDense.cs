using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>The gated feed-forward network <c>wo(dropout(act(wi_0(x)) · wi_1(x)))</c> of T5 v1.1 and flan-t5
/// (<c>feed_forward_proj</c> <c>gated-*</c>).</summary>
internal sealed class T5DenseGatedActDense : nn.Module<Tensor, Tensor>
{
    private readonly T5Linear wi_0;
    private readonly T5Linear wi_1;
    private readonly T5Linear wo;
    private readonly Dropout dropout;
    private readonly string activation;

    /// <summary>Creates the network.</summary>
    public T5DenseGatedActDense(T5Config config, T5ComputeContext context) : base(nameof(T5DenseGatedActDense))
    {
        wi_0 = new T5Linear(config.DModel, config.DFf, context);
        wi_1 = new T5Linear(config.DModel, config.DFf, context);
        wo = new T5Linear(config.DFf, config.DModel, context);
        dropout = nn.Dropout(config.DropoutRate);
        activation = config.FeedForwardProj;
        RegisterComponents();
    }

    /// <summary>The gate projection [d_ff, d_model] (through the activation).</summary>
    public T5Linear Wi0 => wi_0;

    /// <summary>The linear projection [d_ff, d_model].</summary>
    public T5Linear Wi1 => wi_1;

    /// <summary>The output projection [d_model, d_ff].</summary>
    public T5Linear Wo => wo;

    /// <summary>Maps [..., d_model] to [..., d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = T5Activation.Apply(activation, wi_0.forward(x)) * wi_1.forward(x);
        return wo.forward(dropout.forward(h)).MoveToOuterDisposeScope();
    }
}
