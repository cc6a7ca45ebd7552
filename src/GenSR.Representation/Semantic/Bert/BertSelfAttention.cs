using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>Multi-head scaled dot-product self-attention with BERT's parameter names (<c>query</c>, <c>key</c>, <c>value</c>).</summary>
internal sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Linear _query;

    [ComponentName(Name = "key")]
    private readonly Linear _key;

    [ComponentName(Name = "value")]
    private readonly Linear _value;

    private readonly int _heads;
    private readonly double _attentionDropout;

    public BertSelfAttention(int hidden, int heads, double attentionDropout) : base(nameof(BertSelfAttention))
    {
        _query = nn.Linear(hidden, hidden);
        _key = nn.Linear(hidden, hidden);
        _value = nn.Linear(hidden, hidden);
        _heads = heads;
        _attentionDropout = attentionDropout;
        RegisterComponents();
    }

    /// <summary>Hidden states <c>[batch, seq, hidden]</c> and additive key bias <c>[batch, 1, 1, seq]</c> → context <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var scope = NewDisposeScope();
        var (batch, length, width) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        Tensor Split(Tensor x) => x.view(batch, length, _heads, width / _heads).transpose(1, 2);
        var q = Split(_query.forward(hidden));
        var k = Split(_key.forward(hidden));
        var v = Split(_value.forward(hidden));
        var context = nn.functional.scaled_dot_product_attention(q, k, v, attentionBias, training ? _attentionDropout : 0.0);
        return context.transpose(1, 2).reshape(batch, length, width).MoveToOuterDisposeScope();
    }
}
