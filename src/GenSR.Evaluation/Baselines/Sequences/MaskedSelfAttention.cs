using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// Multi-head scaled dot-product attention (Vaswani et al., NeurIPS 2017) of queries from one input over keys and values
/// from another, under a boolean mask. Parameters <c>query</c>, <c>key</c>, <c>value</c>, <c>out_proj</c>.
/// </summary>
internal sealed class MaskedSelfAttention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Linear _query;

    [ComponentName(Name = "key")]
    private readonly Linear _key;

    [ComponentName(Name = "value")]
    private readonly Linear _value;

    [ComponentName(Name = "out_proj")]
    private readonly Linear _outProj;

    private readonly int _heads;
    private readonly double _dropout;

    public MaskedSelfAttention(int hidden, int heads, double dropout) : base(nameof(MaskedSelfAttention))
    {
        if (hidden % heads != 0) throw new ArgumentException(
            $"The hidden width ({hidden}) must be a multiple of the number of heads ({heads}).", nameof(heads));
        _query = nn.Linear(hidden, hidden);
        _key = nn.Linear(hidden, hidden);
        _value = nn.Linear(hidden, hidden);
        _outProj = nn.Linear(hidden, hidden);
        _heads = heads;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Queries from <paramref name="queryInput"/> [batch, len, hidden], keys/values from <paramref name="keyValueInput"/>, mask [batch, 1, len,
    /// len] (true = attend).</summary>
    public override Tensor forward(Tensor queryInput, Tensor keyValueInput, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        var (batch, length, hidden) = (queryInput.shape[0], queryInput.shape[1], queryInput.shape[2]);
        var headWidth = hidden / _heads;
        Tensor Split(Tensor x) => x.view(batch, length, _heads, headWidth).transpose(1, 2);
        var q = Split(_query.forward(queryInput));
        var k = Split(_key.forward(keyValueInput));
        var v = Split(_value.forward(keyValueInput));
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, allowed, training ? _dropout : 0, false);
        var merged = attended.transpose(1, 2).reshape(batch, length, hidden);
        return _outProj.forward(merged).MoveToOuterDisposeScope();
    }
}
