using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>
/// Target-aware soft filtering: scaled dot-product attention of the target (as query) over every history token (as
/// key), softmax over the real tokens. Tokens that do not bear on the target get weights near 0 (they are filtered out
/// softly) instead of being dropped by a hard rule.
/// </summary>
public sealed class TargetSoftFilter : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Linear _query;

    [ComponentName(Name = "key")]
    private readonly Linear _key;

    private readonly double _scale;

    /// <summary>Creates the filter for tokens of width <paramref name="dimension"/> and targets of width <paramref name="targetDimension"/>.</summary>
    public TargetSoftFilter(int dimension, int targetDimension) : base(nameof(TargetSoftFilter))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetDimension, 1);
        _query = nn.Linear(targetDimension, dimension);
        _key = nn.Linear(dimension, dimension);
        // Variance-preserving init (std 1/√fan_in) rather than the default uniform(±1/√fan_in), whose 3× smaller variance,
        // squared in the query·key product, starts every score near 0 and the weights near uniform, which learns slowly.
        using (no_grad())
        {
            nn.init.normal_(_query.weight!, 0, 1 / Math.Sqrt(targetDimension));
            nn.init.normal_(_key.weight!, 0, 1 / Math.Sqrt(dimension));
        }
        _scale = 1.0 / Math.Sqrt(dimension);
        RegisterComponents();
    }

    /// <summary>Attention weights of every history token against the target.</summary>
    /// <param name="tokens">Token states <c>[batch, n, d]</c>.</param>
    /// <param name="target">Target vectors <c>[batch, d_target]</c>.</param>
    /// <param name="mask">Real tokens <c>[batch, n]</c> (bool).</param>
    /// <returns>Weights <c>[batch, n]</c>: a softmax over the real tokens, 0 on padding, all 0 for a row without real tokens.</returns>
    public override Tensor forward(Tensor tokens, Tensor target, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var query = _query.forward(target).unsqueeze(-1);
        var scores = _key.forward(tokens).bmm(query).squeeze(-1).MulScalar(_scale);
        return MaskedSoftmax.Compute(scores, mask).MoveToOuterDisposeScope();
    }
}
