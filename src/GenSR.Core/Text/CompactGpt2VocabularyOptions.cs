namespace GenSR.Core;

/// <summary>Options of <see cref="CompactGpt2Vocabulary.Build"/>.</summary>
public sealed record CompactGpt2VocabularyOptions
{
    /// <summary>A GPT-2 token is kept when it occurs at least this often in the corpus; in [1, 1000000]. Default 1.</summary>
    public int MinimumCount
    {
        get;
        init => field = value is >= 1 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumCount), value, "MinimumCount must be in [1, 1000000].");
    } = 1;

    /// <summary>Keep at most this many corpus tokens (the most frequent; ties by GPT-2 id); 0 = no limit. Default 0.
    /// Template words and " Yes"/" No" are always kept on top.</summary>
    public int MaxTextTokens
    {
        get;
        init => field = value is >= 0 and <= 60_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxTextTokens), value, "MaxTextTokens must be in [0, 60000] (0 = no limit).");
    }

    /// <summary>Whether the words of the built-in GenSR prompt templates are always kept. Default <c>true</c>.</summary>
    public bool IncludeBuiltInPromptTemplates { get; init; } = true;

    /// <summary>More texts whose tokens are always kept (e.g. the literal text of custom prompt templates).</summary>
    public IReadOnlyList<string> ExtraTexts { get; init => field = value ?? throw new ArgumentNullException(nameof(ExtraTexts)); } = [];
}
