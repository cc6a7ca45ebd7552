using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>Tokenised texts, padded to the longest: the input of <see cref="BertModel.forward"/>. Owns its tensors.</summary>
public sealed class BertTokenBatch : TensorBundle
{
    internal BertTokenBatch(Tensor inputIds, Tensor attentionMask)
    {
        InputIds = Own(inputIds);
        AttentionMask = Own(attentionMask);
    }

    /// <summary>Token ids <c>[texts, longest]</c>, int64: <c>[CLS] … [SEP]</c> then <c>[PAD]</c>.</summary>
    public Tensor InputIds { get; }

    /// <summary>Padding mask <c>[texts, longest]</c>, int64: 1 for real tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }
}
