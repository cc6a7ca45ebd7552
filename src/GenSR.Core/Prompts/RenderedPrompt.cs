namespace GenSR.Core;

/// <summary>A prompt rendered to model token ids, with the positions of its soft tokens. Treat the arrays as read-only.</summary>
public sealed class RenderedPrompt
{
    /// <summary>Creates a rendered prompt (normally <see cref="PromptRenderer.Render"/> does).</summary>
    /// <param name="templateName">Name of the template it was rendered from.</param>
    /// <param name="inputIds">Token ids [length], ending with the end-of-sequence token.</param>
    /// <param name="softTokenPositions">Positions of the soft tokens in <paramref name="inputIds"/> [slots].</param>
    /// <param name="softTokenKinds">What each soft token stands for [slots].</param>
    /// <param name="historyItemsKept">History items that fit.</param>
    /// <param name="historyItemsDropped">History items dropped from the oldest side.</param>
    /// <param name="textTruncated">Whether a truncatable text slot was shortened.</param>
    /// <exception cref="ArgumentException">Empty ids, positions and kinds of different lengths, or a position outside the ids.</exception>
    public RenderedPrompt(string templateName, int[] inputIds, int[] softTokenPositions, SoftTokenKind[] softTokenKinds,
                          int historyItemsKept = 0, int historyItemsDropped = 0, bool textTruncated = false)
    {
        ArgumentNullException.ThrowIfNull(templateName);
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(softTokenPositions);
        ArgumentNullException.ThrowIfNull(softTokenKinds);
        if (inputIds.Length == 0) throw new ArgumentException("A prompt has at least one token.", nameof(inputIds));
        if (softTokenPositions.Length != softTokenKinds.Length)
            throw new ArgumentException($"{softTokenPositions.Length} soft-token positions but {softTokenKinds.Length} kinds.", nameof(softTokenKinds));
        foreach (var p in softTokenPositions)
            if ((uint)p >= (uint)inputIds.Length)
                throw new ArgumentException($"Soft-token position {p} is outside the prompt [0, {inputIds.Length}).", nameof(softTokenPositions));
        ArgumentOutOfRangeException.ThrowIfNegative(historyItemsKept);
        ArgumentOutOfRangeException.ThrowIfNegative(historyItemsDropped);
        TemplateName = templateName;
        InputIds = inputIds;
        SoftTokenPositions = softTokenPositions;
        SoftTokenKinds = softTokenKinds;
        HistoryItemsKept = historyItemsKept;
        HistoryItemsDropped = historyItemsDropped;
        TextTruncated = textTruncated;
    }

    /// <summary>Name of the template it was rendered from.</summary>
    public string TemplateName { get; }

    /// <summary>Token ids [length], ending with the end-of-sequence token.</summary>
    public int[] InputIds { get; }

    /// <summary>Number of tokens.</summary>
    public int Length => InputIds.Length;

    /// <summary>Positions in <see cref="InputIds"/> of the soft tokens, in template order [slots].</summary>
    public int[] SoftTokenPositions { get; }

    /// <summary>What each soft token stands for [slots], aligned with <see cref="SoftTokenPositions"/>.</summary>
    public SoftTokenKind[] SoftTokenKinds { get; }

    /// <summary>History items that fit (the newest ones).</summary>
    public int HistoryItemsKept { get; }

    /// <summary>History items dropped from the oldest side to respect the maximum length.</summary>
    public int HistoryItemsDropped { get; }

    /// <summary>Whether a truncatable text slot (e.g. the candidate's text) was shortened.</summary>
    public bool TextTruncated { get; }
}
