using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// A step decoder that can score a few candidate tokens per hypothesis without projecting onto the whole vocabulary.
/// <see cref="CatalogScorer"/> uses it for trie-normalised scores, where each step is a softmax over the
/// prefix's children only: the full-vocabulary normaliser cancels, and the output projection shrinks from
/// <c>[H, V]</c> to <c>[H, C]</c> (C: the most children of a trie node), often a hundred times less work.
/// </summary>
public interface ICandidateStepDecoder : IStepDecoder
{
    /// <summary>
    /// Advances every hypothesis exactly as <see cref="IStepDecoder.Step"/> does, but returns the unnormalised logits of
    /// the given candidate tokens only. Only differences within a row are meaningful.
    /// </summary>
    /// <param name="lastTokens">int64 <c>[BatchSize × beams]</c>, as for <see cref="IStepDecoder.Step"/>.</param>
    /// <param name="candidateTokens">int64 <c>[BatchSize × beams, C]</c> token ids inside the vocabulary (padding entries
    /// may repeat any valid id; the caller masks them).</param>
    /// <returns>float32 <c>[BatchSize × beams, C]</c> logits. The caller disposes it.</returns>
    Tensor StepCandidates(Tensor lastTokens, Tensor candidateTokens);
}
