using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// One pre-norm Transformer encoder layer with a causal mask: <c>x + Dropout(Attn(LN(x)))</c>, then
/// <c>x + Dropout(W2·GELU(W1·LN(x)))</c> with a 4× wide feed-forward layer.
/// </summary>
internal sealed class JointEncoderLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attention_layer_norm")]
    private readonly LayerNorm _attentionNorm;

    [ComponentName(Name = "attention")]
    private readonly MaskedSelfAttention _attention;

    [ComponentName(Name = "feed_forward_layer_norm")]
    private readonly LayerNorm _feedForwardNorm;

    [ComponentName(Name = "feed_forward_in")]
    private readonly Linear _feedForwardIn;

    [ComponentName(Name = "feed_forward_out")]
    private readonly Linear _feedForwardOut;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public JointEncoderLayer(int hidden, int heads, double dropout) : base(nameof(JointEncoderLayer))
    {
        _attentionNorm = nn.LayerNorm(hidden);
        _attention = new MaskedSelfAttention(hidden, heads, dropout);
        _feedForwardNorm = nn.LayerNorm(hidden);
        _feedForwardIn = nn.Linear(hidden, 4 * hidden);
        _feedForwardOut = nn.Linear(4 * hidden, hidden);
        _dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>[batch, len, hidden] states and [batch, 1, len, len] mask (true = attend) → [batch, len, hidden].</summary>
    public override Tensor forward(Tensor states, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        var normalized = _attentionNorm.forward(states);
        var x = states.Plus(_dropout.forward(_attention.forward(normalized, normalized, allowed)));
        var inner = nn.functional.gelu(_feedForwardIn.forward(_feedForwardNorm.forward(x)));
        x = x.Plus(_dropout.forward(_feedForwardOut.forward(inner)));
        return x.MoveToOuterDisposeScope();
    }
}
