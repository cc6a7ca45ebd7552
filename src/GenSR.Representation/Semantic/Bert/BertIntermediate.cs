using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>BERT's feed-forward expansion: <c>activation(dense(x))</c>.</summary>
internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    private readonly string _activation;

    public BertIntermediate(int hidden, int intermediate, string activation) : base(nameof(BertIntermediate))
    {
        if (!BertConfig.SupportedActivations.Contains(activation))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, $"Expected one of {string.Join(", ", BertConfig.SupportedActivations)}.");
        _dense = nn.Linear(hidden, intermediate);
        _activation = activation;
        RegisterComponents();
    }

    /// <summary><c>[batch, seq, hidden]</c> → <c>[batch, seq, intermediate]</c>.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var projected = _dense.forward(hidden);
        return _activation switch
        {
            "gelu" => nn.functional.gelu(projected),
            "gelu_new" or "gelu_pytorch_tanh" => nn.functional.gelu(projected, TorchSharp.Modules.GELU.Approximate.tanh),
            "relu" => nn.functional.relu(projected),
            _ => nn.functional.silu(projected),
        };
    }
}
