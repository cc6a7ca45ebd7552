using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>
/// DIN-style target attention (Zhou et al., "Deep Interest Network for Click-Through Rate Prediction", KDD 2018): the
/// score of history entry <c>h_i</c> against target <c>t</c> is an MLP "activation unit" over
/// <c>[h_i, t, h_i − t, h_i ⊙ t]</c> with a PReLU; unlike DIN, the scores are normalised by a softmax over the real
/// entries (padding excluded), so the weights form a distribution over the history.
/// </summary>
public sealed class TargetAttentionPooling : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    [ComponentName(Name = "activation")]
    private readonly PReLU _activation;

    [ComponentName(Name = "score")]
    private readonly Linear _score;

    /// <summary>Creates the activation unit for entries and targets of width <paramref name="dimension"/>.</summary>
    /// <param name="dimension">Width d of history entries and of the target.</param>
    /// <param name="hiddenDimension">Width of the MLP's hidden layer.</param>
    public TargetAttentionPooling(int dimension, int hiddenDimension) : base(nameof(TargetAttentionPooling))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDimension, 1);
        _dense = nn.Linear(4 * dimension, hiddenDimension);
        _activation = nn.PReLU(1, 0.25);
        _score = nn.Linear(hiddenDimension, 1);
        RegisterComponents();
    }

    /// <summary>Attention weights of each history entry against the target.</summary>
    /// <param name="history">History states <c>[batch, hist, d]</c>.</param>
    /// <param name="target">Target vectors <c>[batch, d]</c>.</param>
    /// <param name="mask">Real entries <c>[batch, hist]</c> (bool).</param>
    /// <returns>Weights <c>[batch, hist]</c>: a softmax over the real entries, 0 on padding, all 0 for a row without real entries.</returns>
    public override Tensor forward(Tensor history, Tensor target, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var t = target.unsqueeze(1).expand_as(history);
        var features = cat([history, t, history.Minus(t), history * t], -1);
        var scores = _score.forward(_activation.forward(_dense.forward(features))).squeeze(-1);
        return MaskedSoftmax.Compute(scores, mask).MoveToOuterDisposeScope();
    }
}
