using GenSR.Core;
namespace GenSR.Decoding;

/// <summary>Settings of <see cref="ReferenceStepDecoder"/>. Each property checks its range when set.</summary>
internal sealed record ReferenceDecoderOptions
{
    private readonly int _vocabularySize = 64;
    private readonly int _hiddenSize = 32;
    private readonly int _queryTableSize = 1024;
    private readonly float _logitScale = 2f;
    private readonly long _startTokenId;

    /// <summary>Tokens in the vocabulary, at least 1. Default 64.</summary>
    public int VocabularySize
    {
        get => _vocabularySize;
        init => _vocabularySize = OptionGuard.AtLeast(value, 1, nameof(VocabularySize), nameof(ReferenceDecoderOptions));
    }

    /// <summary>Width of the recurrent state and the embeddings, at least 1. Default 32; the benchmarks use 256 so that the
    /// output projection (<c>[hypotheses, hidden] × [hidden, vocabulary]</c>) costs what a small model's would.</summary>
    public int HiddenSize
    {
        get => _hiddenSize;
        init => _hiddenSize = OptionGuard.AtLeast(value, 1, nameof(HiddenSize), nameof(ReferenceDecoderOptions));
    }

    /// <summary>Rows of the query-embedding table; query ids must be below it. At least 1. Default 1024.</summary>
    public int QueryTableSize
    {
        get => _queryTableSize;
        init => _queryTableSize = OptionGuard.AtLeast(value, 1, nameof(QueryTableSize), nameof(ReferenceDecoderOptions));
    }

    /// <summary>Multiplies the logits: larger values give peakier distributions. Positive and finite. Default 2.</summary>
    public float LogitScale
    {
        get => _logitScale;
        init => _logitScale = value > 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LogitScale), value, "LogitScale must be positive and finite.");
    }

    /// <summary>The token fed at the first step, in [0, <see cref="VocabularySize"/>). Default 0.</summary>
    public long StartTokenId
    {
        get => _startTokenId;
        init => _startTokenId = OptionGuard.AtLeast(value, 0, nameof(StartTokenId), nameof(ReferenceDecoderOptions));
    }

    /// <summary>Seed of the random weights: decoders with equal options have equal weights.</summary>
    public long Seed { get; init; }
}
