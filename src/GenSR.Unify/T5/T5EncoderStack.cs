using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The encoder (HF <c>T5Stack</c> with <c>is_decoder = false</c>): dropout on the input embeddings, the blocks
/// (block 0 computes the bidirectional position bias all blocks share), a final RMS norm and dropout. It takes
/// embeddings rather than token ids so callers can splice soft tokens into the input; the token embedding itself is
/// the model's <c>shared</c> table.
/// </summary>
internal sealed class T5EncoderStack : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<T5EncoderBlock> block;
    private readonly T5LayerNorm final_layer_norm;
    private readonly Dropout dropout;

    /// <summary>Creates the encoder.</summary>
    public T5EncoderStack(T5Config config, T5ComputeContext context) : base(nameof(T5EncoderStack))
    {
        block = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(i => new T5EncoderBlock(config, i == 0, context)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>The blocks.</summary>
    public ModuleList<T5EncoderBlock> Blocks => block;

    /// <summary>Encodes <paramref name="inputEmbeddings"/> [B, L, d_model] under <paramref name="attentionMask"/> [B, L] (1 = token, 0 = padding);
    /// returns [B, L, d_model].</summary>
    public override Tensor forward(Tensor inputEmbeddings, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var length = inputEmbeddings.shape[1];
        var bias = block[0].SelfAttention.Attention.ComputeBias(length, length, 0).Plus(T5MaskBias.FromAttentionMask(attentionMask));
        var hidden = dropout.forward(inputEmbeddings);
        foreach (var b in block) hidden = b.forward(hidden, bias);
        return dropout.forward(final_layer_norm.forward(hidden)).MoveToOuterDisposeScope();
    }
}
