using TorchSharp.Modules;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// T5's layer norm: RMS normalisation with a learned scale, no bias and no mean subtraction,
/// <c>weight · x / sqrt(mean(x²) + eps)</c>. The statistics are computed in float32 whatever the input dtype;
/// the output is float32 unless the weight is half precision (then it is cast to the weight's dtype), as in HF.
/// </summary>
internal sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double epsilon;

    /// <summary>Creates a norm over the last dimension of width <paramref name="size"/>, scale initialised to one.</summary>
    public T5LayerNorm(long size, double epsilon) : base(nameof(T5LayerNorm))
    {
        weight = new Parameter(ones(size));
        this.epsilon = epsilon;
        RegisterComponents();
    }

    /// <summary>The learned scale [size].</summary>
    public Parameter Weight => weight;

    /// <summary>Normalises [..., size].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var variance = x.Squared().mean([-1L], keepdim: true);
        var normed = x * variance.AddScalar(epsilon).rsqrt();
        if (weight.dtype is ScalarType.BFloat16 or ScalarType.Float16) normed = normed.to(weight.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
