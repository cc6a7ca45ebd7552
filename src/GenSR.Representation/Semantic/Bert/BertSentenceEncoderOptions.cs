using TorchSharp;

namespace GenSR.Representation;

/// <summary>
/// Options of <see cref="BertSentenceEncoder"/>. Every property is validated when set; an out-of-range value throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.
/// </summary>
public sealed record BertSentenceEncoderOptions
{
    /// <summary>
    /// Longest token sequence, <c>[CLS]</c> and <c>[SEP]</c> included; longer texts are truncated (their last word pieces
    /// are dropped). Null (default): the folder's <c>sentence_bert_config.json</c> <c>max_seq_length</c> when present (what
    /// sentence-transformers uses), else the smallest of 512, the checkpoint's <c>max_position_embeddings</c> and its
    /// tokenizer's <c>model_max_length</c>. When set: 2 … 8192, and at most <c>max_position_embeddings</c> (checked on creation).
    /// </summary>
    public int? MaxLength
    {
        get;
        init => field = value is null or (>= 2 and <= 8192)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, $"BertSentenceEncoderOptions.MaxLength must be null or 2 … 8192; got {value}.");
    }

    /// <summary>Texts per forward pass. Default 64; 1 … 65,536.</summary>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 65_536
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BertSentenceEncoderOptions.BatchSize must be 1 … 65536; got {value}.");
    } = 64;

    /// <summary>
    /// How the sentence vector is pooled. Null (default): as the folder's sentence-transformers pooling module
    /// (<c>1_Pooling/config.json</c>) says when present, else <see cref="SentencePooling.Mean"/>.
    /// </summary>
    public SentencePooling? Pooling
    {
        get;
        init => field = value is null || Enum.IsDefined(value.Value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Pooling), value, "BertSentenceEncoderOptions.Pooling must be null, Mean or Cls.");
    }

    /// <summary>Whether sentence vectors are L2-normalised (so dot products are cosine similarities). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// Whether the tokenizer lower-cases (and strips accents from) the text first. Null (default): the checkpoint's
    /// <c>tokenizer_config.json</c> <c>do_lower_case</c> when present, else true (uncased vocabularies such as MiniLM's and BGE's).
    /// </summary>
    public bool? LowerCase { get; init; }

    /// <summary>Device to run on; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
