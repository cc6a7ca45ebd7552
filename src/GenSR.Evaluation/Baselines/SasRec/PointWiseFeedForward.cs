using GenSR.Core;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// SASRec's point-wise feed-forward network with its residual connection (Kang &amp; McAuley, ICDM 2018, self-attention block):
/// <c>x + Dropout(W2·Dropout(ReLU(W1·x + b1)) + b2)</c>. Parameters <c>linear1</c>, <c>linear2</c>.
/// </summary>
internal sealed class PointWiseFeedForward : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "linear1")]
    private readonly Linear _linear1;

    [ComponentName(Name = "linear2")]
    private readonly Linear _linear2;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public PointWiseFeedForward(int hidden, double dropout) : base(nameof(PointWiseFeedForward))
    {
        _linear1 = nn.Linear(hidden, hidden);
        _linear2 = nn.Linear(hidden, hidden);
        _dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>[batch, len, hidden] → [batch, len, hidden].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var inner = _dropout.forward(nn.functional.relu(_linear1.forward(input)));
        var output = _dropout.forward(_linear2.forward(inner)).Plus(input);
        return output.MoveToOuterDisposeScope();
    }
}
