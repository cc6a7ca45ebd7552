using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Maps texts to dense vectors (the semantic view of items, queries or any other text). Implementations hold their
/// weights on one device and return their vectors there.
/// </summary>
/// <remarks>
/// Implementations in this package: <see cref="LsaTextEncoder"/> (TF-IDF + truncated SVD fitted on the catalogue, no
/// pretrained weights) and <see cref="BertSentenceEncoder"/> (a BERT-architecture checkpoint loaded from disk).
/// Users may plug in their own encoder by implementing this interface.
/// </remarks>
public interface ISemanticEncoder : IDisposable
{
    /// <summary>Length of every vector this encoder produces.</summary>
    int Dimension { get; }

    /// <summary>The device the encoder runs on and returns its vectors on.</summary>
    Device Device { get; }

    /// <summary>Encodes <paramref name="texts"/> in batches.</summary>
    /// <param name="texts">The texts; an empty or whitespace text is allowed (see the implementation for its vector).</param>
    /// <param name="progress">Receives the number of texts encoded so far after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>A float32 tensor <c>[texts.Count, Dimension]</c> on <see cref="Device"/>; row <c>i</c> encodes <c>texts[i]</c>.
    /// The caller owns (disposes) it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its elements is null.</exception>
    Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default);
}
