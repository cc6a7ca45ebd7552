using GenSR.Core;
using TorchSharp;

namespace GenSR.Representation;

/// <summary>
/// Options of <see cref="LsaTextEncoder"/>: the word tokenizer, the TF-IDF vocabulary and the truncated SVD. Every
/// property is validated when it is set; an out-of-range value throws <see cref="ArgumentOutOfRangeException"/>
/// naming the option and its allowed range.
/// </summary>
public sealed record LsaTextEncoderOptions
{
    /// <summary>Number of latent dimensions (components of the truncated SVD), the length of every vector. Default 64; 1 … 4096.</summary>
    public int Dimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(Dimension), nameof(LsaTextEncoderOptions));
    } = 64;

    /// <summary>A word enters the vocabulary only when it occurs in at least this many fitting documents. Default 2; at least 1.</summary>
    public int MinDocumentFrequency
    {
        get;
        init => field = OptionGuard.InRange(value, 1, int.MaxValue, nameof(MinDocumentFrequency), nameof(LsaTextEncoderOptions));
    } = 2;

    /// <summary>
    /// A word that occurs in more than this fraction of the fitting documents is left out of the vocabulary (it
    /// separates nothing). Default 1.0 (keep all); in (0, 1].
    /// </summary>
    public double MaxDocumentFrequencyRatio
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(MaxDocumentFrequencyRatio), nameof(LsaTextEncoderOptions), minExclusive: true);
    } = 1.0;

    /// <summary>At most this many words (the most frequent by document frequency) are kept. Default 200,000; at least 1.</summary>
    public int MaxVocabularySize
    {
        get;
        init => field = OptionGuard.InRange(value, 1, int.MaxValue, nameof(MaxVocabularySize), nameof(LsaTextEncoderOptions));
    } = 200_000;

    /// <summary>
    /// Words shorter than this (in characters) are dropped by the tokenizer. Default 2, the convention of
    /// scikit-learn's default token pattern; 1 … 100.
    /// </summary>
    public int MinTokenLength
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 100, nameof(MinTokenLength), nameof(LsaTextEncoderOptions));
    } = 2;

    /// <summary>Words (compared after lower-casing) that the tokenizer drops. Default <see cref="EnglishStopWords.Words"/>; empty keeps every word.</summary>
    public IReadOnlyCollection<string> StopWords
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(StopWords), "StopWords must not be null; pass an empty list to keep every word.");
    } = EnglishStopWords.Words;

    /// <summary>
    /// Extra random directions sampled beyond <see cref="Dimension"/> by the randomized SVD (the oversampling
    /// parameter p of Halko, Martinsson and Tropp 2011, who recommend 5 to 10). Default 10; 0 … 1000.
    /// </summary>
    public int Oversampling
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1000, nameof(Oversampling), nameof(LsaTextEncoderOptions));
    } = 10;

    /// <summary>
    /// Subspace (power) iterations of the randomized SVD (q in Halko et al. 2011, Algorithm 4.4); more iterations
    /// sharpen the leading components when the spectrum decays slowly, as it does for text. Default 4; 0 … 100.
    /// </summary>
    public int PowerIterations
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 100, nameof(PowerIterations), nameof(LsaTextEncoderOptions));
    } = 4;

    /// <summary>Seed of the random test matrix of the randomized SVD; the same seed, corpus and device give the same encoder. Default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Item fields that make up an item's text when fitting on or encoding items. Default title, brand and categories.</summary>
    public ItemTextFields Fields
    {
        get;
        init => field = value != ItemTextFields.None
            && (value & ~(ItemTextFields.Title | ItemTextFields.Brand | ItemTextFields.Categories | ItemTextFields.Description)) == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Fields), value, "Fields must select at least one of Title, Brand, Categories, Description.");
    } = ItemTextFields.Default;

    /// <summary>Texts per batch when encoding. Default 8192; 1 … 1,000,000.</summary>
    public int BatchSize
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 1_000_000, nameof(BatchSize), nameof(LsaTextEncoderOptions));
    } = 8192;

    /// <summary>Device that fits and encodes; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }
}
