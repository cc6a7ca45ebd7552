using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>BERT's attention sub-layer: self-attention (<c>self</c>) followed by its residual block (<c>output</c>).</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "self")]
    private readonly BertSelfAttention _self;

    [ComponentName(Name = "output")]
    private readonly BertResidualOutput _output;

    public BertAttention(int hidden, int heads, double layerNormEps, double hiddenDropout, double attentionDropout) : base(nameof(BertAttention))
    {
        _self = new BertSelfAttention(hidden, heads, attentionDropout);
        _output = new BertResidualOutput(hidden, hidden, layerNormEps, hiddenDropout);
        RegisterComponents();
    }

    /// <summary><c>[batch, seq, hidden]</c> and key bias <c>[batch, 1, 1, seq]</c> → <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var context = _self.forward(hidden, attentionBias);
        return _output.forward(context, hidden);
    }
}
