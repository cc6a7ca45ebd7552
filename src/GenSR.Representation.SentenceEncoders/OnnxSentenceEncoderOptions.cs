
namespace GenSR.Representation.SentenceEncoders;

/// <summary>
/// Options of <see cref="OnnxSentenceEncoder"/>. Every property is validated when set; an out-of-range value throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.
/// </summary>
public sealed record OnnxSentenceEncoderOptions
{
    /// <summary>
    /// Longest token sequence, <c>[CLS]</c> and <c>[SEP]</c> included; longer texts lose their last word pieces. Null
    /// (default): the model's own length (256 for MiniLM, 512 for arctic-embed-xs). When set: 2 … 512.
    /// </summary>
    public int? MaxLength
    {
        get;
        init => field = value is null or (>= 2 and <= 512)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, $"OnnxSentenceEncoderOptions.MaxLength must be null or 2 … 512; got {value}.");
    }

    /// <summary>Texts per ONNX Runtime call; texts of similar length are batched together. Default 32; 1 … 4,096.</summary>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 4096
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"OnnxSentenceEncoderOptions.BatchSize must be 1 … 4096; got {value}.");
    } = 32;

    /// <summary>How the sentence vector is pooled. Null (default): the model's own pooling (mean for MiniLM, <c>[CLS]</c> for arctic).</summary>
    public SentencePooling? Pooling
    {
        get;
        init => field = value is null || Enum.IsDefined(value.Value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Pooling), value, "OnnxSentenceEncoderOptions.Pooling must be null, Mean or Cls.");
    }

    /// <summary>Whether sentence vectors are L2-normalised (dot products are then cosine similarities). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// Text put before every text before tokenisation, e.g. <see cref="OnnxSentenceEncoder.ArcticQueryPrefix"/> for an
    /// arctic query encoder. Default empty. It is part of <see cref="OnnxSentenceEncoder.ModelKey"/>, so cached vectors of
    /// prefixed and plain texts never mix.
    /// </summary>
    public string TextPrefix
    {
        get;
        init => field = value
            ?? throw new ArgumentNullException(nameof(TextPrefix), "OnnxSentenceEncoderOptions.TextPrefix must not be null; use \"\" for none.");
    } = "";

    /// <summary>ONNX Runtime threads within one operator. Null (default): ONNX Runtime's choice (the machine's cores); else 1 … 1,024.</summary>
    public int? Threads
    {
        get;
        init => field = value is null or (>= 1 and <= 1024)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Threads), value, $"OnnxSentenceEncoderOptions.Threads must be null or 1 … 1024; got {value}.");
    }
}
