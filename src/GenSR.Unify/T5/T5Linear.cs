using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// A bias-free linear projection (every projection in T5 is bias-free) that runs in the model's compute dtype:
/// input and weight are cast on the fly, so float32 master weights can feed bfloat16 matrix products.
/// Its one parameter is named <c>weight</c> ([out_features, in_features]) as in <c>torch.nn.Linear</c>.
/// </summary>
internal sealed class T5Linear : nn.Module<Tensor, Tensor>
{
    private Parameter weight;
    private readonly T5ComputeContext context;

    /// <summary>Creates an uninitialised projection; the owning model initialises it.</summary>
    public T5Linear(long inFeatures, long outFeatures, T5ComputeContext context) : base(nameof(T5Linear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures));
        this.context = context;
        RegisterComponents();
    }

    /// <summary>The weight [out_features, in_features]; replacing it re-registers the parameter under the same name.</summary>
    public Parameter Weight
    {
        get => weight;
        set
        {
            weight = value;
            ConditionallyRegisterParameter(nameof(weight), value);
        }
    }

    /// <summary>Projects [..., in_features] to [..., out_features] in the compute dtype.</summary>
    public override Tensor forward(Tensor input) => Project(input, weight, context);

    /// <summary><c>input @ weight.T</c> with both cast to the compute dtype of <paramref name="context"/>.</summary>
    public static Tensor Project(Tensor input, Tensor weight, T5ComputeContext context)
    {
        var dtype = context.For(weight.dtype);
        if (input.dtype == dtype && weight.dtype == dtype) return nn.functional.linear(input, weight);
        using var x = input.to(dtype);
        using var w = weight.to(dtype);
        return nn.functional.linear(x, w);
    }
}
