namespace GenSR.Decoding;

/// <summary>How <see cref="CatalogScorer"/> normalises each decoding step of an identifier.</summary>
public enum CatalogNormalization
{
    /// <summary>
    /// The model's own likelihood: every step is the decoder's log-softmax over the whole vocabulary, so an item's score
    /// is exactly log P(identifier tokens, then end-of-sequence | prompt), the quantity teacher-forced scoring sums. Every
    /// inner trie node is decoded, the end-of-sequence step included.
    /// </summary>
    Vocabulary = 0,

    /// <summary>
    /// The likelihood under trie-constrained decoding: every step is renormalised over the children of the prefix, so the
    /// scores of all items sum to 1. A node with a single child contributes log 1 = 0 and is decoded only when a
    /// descendant needs it, which skips the end-of-sequence step and most of the deepest level (several times cheaper).
    /// </summary>
    Trie = 1,
}
