using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>The stack of <see cref="BertLayer"/>s (<c>layer.0</c>, <c>layer.1</c>, …).</summary>
internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly ModuleList<BertLayer> _layers;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        _layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(_ => new BertLayer(config.HiddenSize, config.NumAttentionHeads, config.IntermediateSize, config.HiddenAct,
                                       config.LayerNormEps, config.HiddenDropoutProb, config.AttentionProbsDropoutProb))
            .ToArray());
        RegisterComponents();
    }

    /// <summary><c>[batch, seq, hidden]</c> and key bias <c>[batch, 1, 1, seq]</c> → last hidden state <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        var current = hidden;
        foreach (var layer in _layers)
        {
            var next = layer.forward(current, attentionBias);
            if (!ReferenceEquals(current, hidden)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, hidden) ? hidden.alias() : current;
    }
}
