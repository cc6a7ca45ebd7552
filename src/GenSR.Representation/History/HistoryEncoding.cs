using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>The output of a history encoder together with its target-attention weights. Owns both tensors.</summary>
public sealed class HistoryEncoding : TensorBundle
{
    internal HistoryEncoding(Tensor vector, Tensor weights)
    {
        Vector = Own(vector);
        Weights = Own(weights);
    }

    /// <summary>The user vector <c>[batch, d_out]</c>.</summary>
    public Tensor Vector { get; }

    /// <summary>
    /// Attention weights of the pooling against the target: <c>[batch, hist]</c> for
    /// <see cref="CollaborativeHistoryEncoder"/>, <c>[batch, hist, tokens]</c> for <see cref="SemanticHistoryEncoder"/>.
    /// They sum to 1 over the real entries of a row and are 0 on padding; a row without any real entry is all 0.
    /// </summary>
    public Tensor Weights { get; }
}
