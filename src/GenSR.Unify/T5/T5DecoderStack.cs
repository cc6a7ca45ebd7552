using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The decoder (HF <c>T5Stack</c> with <c>is_decoder = true</c>): dropout on the input embeddings, the blocks (block 0
/// computes the causal position bias), a final RMS norm and dropout. Runs teacher-forced over a whole target sequence
/// (<see cref="forward"/>) or one position at a time against a <see cref="T5DecoderCache"/> (<see cref="Step"/>).
/// </summary>
internal sealed class T5DecoderStack : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly ModuleList<T5DecoderBlock> block;
    private readonly T5LayerNorm final_layer_norm;
    private readonly Dropout dropout;

    /// <summary>Creates the decoder.</summary>
    public T5DecoderStack(T5Config config, T5ComputeContext context) : base(nameof(T5DecoderStack))
    {
        block = nn.ModuleList(Enumerable.Range(0, config.NumDecoderLayers).Select(i => new T5DecoderBlock(config, i == 0, context)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>The blocks.</summary>
    public ModuleList<T5DecoderBlock> Blocks => block;

    /// <summary>
    /// Teacher-forced decoding of <paramref name="inputEmbeddings"/> [B, T, d_model] over the encoder output
    /// <paramref name="encoderHidden"/> [B, L, d_model] with its <paramref name="encoderAttentionMask"/> [B, L]; returns [B, T, d_model].
    /// </summary>
    public override Tensor forward(Tensor inputEmbeddings, Tensor encoderHidden, Tensor encoderAttentionMask)
    {
        using var scope = NewDisposeScope();
        var length = inputEmbeddings.shape[1];
        var selfBias = block[0].SelfAttention.Attention.ComputeBias(length, length, 0).Plus(T5MaskBias.Causal(length, inputEmbeddings.device));
        var crossMask = T5MaskBias.FromAttentionMask(encoderAttentionMask);
        var hidden = dropout.forward(inputEmbeddings);
        foreach (var b in block)
        {
            var (keys, values) = b.CrossAttention.ProjectEncoder(encoderHidden);
            hidden = b.forward(hidden, selfBias, keys, values, crossMask);
        }
        return dropout.forward(final_layer_norm.forward(hidden)).MoveToOuterDisposeScope();
    }

    /// <summary>Builds the cache for incremental decoding: every layer's encoder keys and values, computed once.</summary>
    public T5DecoderCache CreateCache(Tensor encoderHidden, Tensor encoderAttentionMask)
    {
        using var scope = NewDisposeScope();
        var keys = new Tensor[block.Count];
        var values = new Tensor[block.Count];
        for (var i = 0; i < block.Count; i++)
        {
            var (k, v) = block[i].CrossAttention.ProjectEncoder(encoderHidden);
            keys[i] = k.contiguous().DetachFromDisposeScope();
            values[i] = v.contiguous().DetachFromDisposeScope();
        }
        var mask = T5MaskBias.FromAttentionMask(encoderAttentionMask).DetachFromDisposeScope();
        return new T5DecoderCache(keys, values, mask);
    }

    /// <summary>Decodes one position for every hypothesis: <paramref name="inputEmbeddings"/> [N, 1, d_model]; updates <paramref name="cache"/>;
    /// returns [N, 1, d_model].</summary>
    public Tensor Step(Tensor inputEmbeddings, T5DecoderCache cache)
    {
        using var scope = NewDisposeScope();
        var past = cache.PastLength;
        var selfBias = block[0].SelfAttention.Attention.ComputeBias(1, past + 1, past);
        var hidden = dropout.forward(inputEmbeddings);
        for (var i = 0; i < block.Count; i++) hidden = block[i].Step(hidden, selfBias, cache, i);
        cache.PastLength = past + 1;
        return dropout.forward(final_layer_norm.forward(hidden)).MoveToOuterDisposeScope();
    }
}
