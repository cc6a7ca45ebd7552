using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>
/// BERT's post-LayerNorm residual block (HF's <c>BertSelfOutput</c> and <c>BertOutput</c>, which share one shape):
/// <c>LayerNorm(dropout(dense(x)) + residual)</c>.
/// </summary>
internal sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public BertResidualOutput(int inputWidth, int hidden, double layerNormEps, double dropout) : base(nameof(BertResidualOutput))
    {
        _dense = nn.Linear(inputWidth, hidden);
        _layerNorm = nn.LayerNorm(hidden, layerNormEps);
        _dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary><c>[batch, seq, inputWidth]</c> and residual <c>[batch, seq, hidden]</c> → <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return _layerNorm.forward(_dropout.forward(_dense.forward(x)).Plus(residual)).MoveToOuterDisposeScope();
    }
}
