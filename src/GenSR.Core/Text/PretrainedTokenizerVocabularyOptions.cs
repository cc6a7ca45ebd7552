namespace GenSR.Core;

/// <summary>How a pretrained tokenizer's ids are laid out (defaults follow the T5 convention: pad 0, eos 1, unk 2).</summary>
public sealed record PretrainedTokenizerVocabularyOptions
{
    /// <summary>
    /// Rows of the pretrained model's embedding that belong to the tokenizer, e.g. 32128 for T5 (32000 SentencePiece pieces,
    /// 100 sentinel tokens, padding to a multiple of 128). Added tokens start here. In [1, 10000000].
    /// </summary>
    public required int BaseVocabularySize
    {
        get;
        init => field = value is >= 1 and <= 10_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BaseVocabularySize), value, "BaseVocabularySize must be in [1, 10000000].");
    }

    /// <summary>Padding id. Default 0 (T5).</summary>
    public int PadId { get; init => field = OptionGuard.AtLeast(value, 0, nameof(PadId), nameof(PretrainedTokenizerVocabularyOptions)); }

    /// <summary>End-of-sequence id. Default 1 (T5).</summary>
    public int EosId { get; init => field = OptionGuard.AtLeast(value, 0, nameof(EosId), nameof(PretrainedTokenizerVocabularyOptions)); } = 1;

    /// <summary>Unknown-token id. Default 2 (T5).</summary>
    public int UnknownId { get; init => field = OptionGuard.AtLeast(value, 0, nameof(UnknownId), nameof(PretrainedTokenizerVocabularyOptions)); } = 2;

    /// <summary>Identifier tokens to append. Default 0; set it from the identifier table, or later with
    /// <see cref="ModelVocabulary.WithIdentifierTokenCount"/>.</summary>
    public int IdentifierTokenCount
    {
        get;
        init => field = OptionGuard.AtLeast(value, 0, nameof(IdentifierTokenCount), nameof(PretrainedTokenizerVocabularyOptions));
    }

    /// <summary>Text of the positive pointwise target. When the tokenizer encodes it as one token that token is used,
    /// otherwise a dedicated token is appended. Default "Yes".</summary>
    public string YesText
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("YesText must not be empty.", nameof(YesText)) : value;
    } = "Yes";

    /// <summary>Text of the negative pointwise target (same rule as <see cref="YesText"/>). Default "No".</summary>
    public string NoText
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("NoText must not be empty.", nameof(NoText)) : value;
    } = "No";
}
