using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// One post-LayerNorm Transformer encoder layer with HF BERT's parameter names
/// (<c>attention.self.query</c>, <c>attention.output.LayerNorm</c>, <c>intermediate.dense</c>, <c>output.dense</c>, …).
/// Also the Transformer layer of the history encoders.
/// </summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attention")]
    private readonly BertAttention _attention;

    [ComponentName(Name = "intermediate")]
    private readonly BertIntermediate _intermediate;

    [ComponentName(Name = "output")]
    private readonly BertResidualOutput _output;

    public BertLayer(int hidden, int heads, int intermediate, string activation, double layerNormEps, double hiddenDropout, double attentionDropout)
        : base(nameof(BertLayer))
    {
        if (hidden % heads != 0) throw new ArgumentException(
            $"The hidden width ({hidden}) must be a multiple of the number of heads ({heads}).", nameof(heads));
        _attention = new BertAttention(hidden, heads, layerNormEps, hiddenDropout, attentionDropout);
        _intermediate = new BertIntermediate(hidden, intermediate, activation);
        _output = new BertResidualOutput(intermediate, hidden, layerNormEps, hiddenDropout);
        RegisterComponents();
    }

    /// <summary>Hidden states <c>[batch, seq, hidden]</c> and additive key bias <c>[batch, 1, 1, seq]</c> → <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var attended = _attention.forward(hidden, attentionBias);
        using var expanded = _intermediate.forward(attended);
        return _output.forward(expanded, attended);
    }
}
