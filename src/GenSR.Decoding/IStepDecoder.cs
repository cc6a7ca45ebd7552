using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// What a model implements so that beam search can drive it one token at a time. An instance is bound to
/// one batch of queries (e.g. the encoder outputs of <see cref="BatchSize"/> prompts) and keeps whatever
/// cache it needs (e.g. a KV cache) for the hypotheses of that batch.
/// </summary>
/// <remarks>
/// Hypotheses are laid out query-major: hypothesis <c>q * beams + b</c> is beam <c>b</c> of query <c>q</c>.
/// All tensors live on <see cref="Device"/>; implementations must not copy to the host inside
/// <see cref="Step"/> or <see cref="Reorder"/>.
/// </remarks>
public interface IStepDecoder : IDisposable
{
    /// <summary>Number of queries in the batch.</summary>
    int BatchSize { get; }

    /// <summary>Size of the vocabulary over which <see cref="Step"/> returns log-probabilities.</summary>
    int VocabularySize { get; }

    /// <summary>The token fed at the first step (e.g. T5's decoder start token, the pad id 0).</summary>
    long StartTokenId { get; }

    /// <summary>The device the decoder's tensors live on.</summary>
    Device Device { get; }

    /// <summary>Starts decoding with <paramref name="beams"/> hypotheses per query: every query's state is repeated <paramref name="beams"/> times and
    /// any cache is emptied.</summary>
    void Start(int beams);

    /// <summary>Feeds the last token of every hypothesis and returns next-token log-probabilities.</summary>
    /// <param name="lastTokens">int64 <c>[BatchSize × beams]</c>: the token each hypothesis emitted last
    /// (<see cref="StartTokenId"/> at the first step).</param>
    /// <returns>float32 <c>[BatchSize × beams, VocabularySize]</c> log-probabilities (log-softmax over the vocabulary). The caller disposes it.</returns>
    Tensor Step(Tensor lastTokens);

    /// <summary>Re-orders the cache after beams were re-ranked, or re-sizes it.</summary>
    /// <param name="parentHypotheses">int64 <c>[BatchSize × beams']</c>, query-major: for every new hypothesis, the flat index of the
    /// hypothesis it extends (a hypothesis of the same query). The number of hypotheses per query becomes <c>beams'</c>: beam search
    /// keeps it, <see cref="CatalogScorer"/> changes it at every depth of the trie.</param>
    void Reorder(Tensor parentHypotheses);
}
