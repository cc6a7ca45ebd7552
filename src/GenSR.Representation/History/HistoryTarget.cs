using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>Builds target vectors from text in the language model's token space (queries, candidate titles).</summary>
public static class HistoryTarget
{
    /// <summary>
    /// Mean of the token embeddings of each row over its real tokens: the encoding of a search query (search target in
    /// generative mode) or of a candidate item's title (the semantic encoder's target in pointwise mode).
    /// </summary>
    /// <param name="tokenEmbedding">The language model's input embedding (ids → <c>[…, d_lm]</c>).</param>
    /// <param name="tokenIds">Token ids <c>[batch, tokens]</c>, int64.</param>
    /// <param name="tokenMask">Real tokens <c>[batch, tokens]</c> (bool).</param>
    /// <returns>Targets <c>[batch, d_lm]</c>; a row without real tokens is 0.</returns>
    public static Tensor FromTokens(nn.Module<Tensor, Tensor> tokenEmbedding, Tensor tokenIds, Tensor tokenMask)
    {
        ArgumentNullException.ThrowIfNull(tokenEmbedding);
        ArgumentNullException.ThrowIfNull(tokenIds);
        ArgumentNullException.ThrowIfNull(tokenMask);
        if (tokenIds.dim() != 2 || !tokenMask.shape.SequenceEqual(tokenIds.shape))
            throw new ArgumentException(
                $"tokenIds and tokenMask must both be [batch, tokens]; got [{string.Join(", ", tokenIds.shape)}] and [{string.Join(", ", tokenMask.shape)}].");
        using var scope = NewDisposeScope();
        var embedded = tokenEmbedding.call(tokenIds);
        var weights = tokenMask.to(embedded.dtype).unsqueeze(-1);
        return ((embedded * weights).sum(1) / weights.sum(1).ClampMinScalar(1)).MoveToOuterDisposeScope();
    }
}
