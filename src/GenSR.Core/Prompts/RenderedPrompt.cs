namespace GenSR.Core.Prompts;

/// <summary>A prompt rendered to model token ids, with the positions of its soft tokens.</summary>
public sealed class RenderedPrompt
{
    internal RenderedPrompt(string templateName, int[] inputIds, int[] softTokenPositions, SoftTokenKind[] softTokenKinds,
                            int historyItemsKept, int historyItemsDropped, bool textTruncated)
    {
        TemplateName = templateName;
        InputIdArray = inputIds;
        SoftTokenPositionArray = softTokenPositions;
        SoftTokenKindArray = softTokenKinds;
        HistoryItemsKept = historyItemsKept;
        HistoryItemsDropped = historyItemsDropped;
        TextTruncated = textTruncated;
    }

    /// <summary>Name of the template it was rendered from.</summary>
    public string TemplateName { get; }

    /// <summary>Token ids [length], ending with the end-of-sequence token.</summary>
    public IReadOnlyList<int> InputIds => InputIdArray;

    /// <summary>Number of tokens.</summary>
    public int Length => InputIdArray.Length;

    /// <summary>Positions in <see cref="InputIds"/> of the soft tokens, in template order [slots].</summary>
    public IReadOnlyList<int> SoftTokenPositions => SoftTokenPositionArray;

    /// <summary>What each soft token stands for [slots], aligned with <see cref="SoftTokenPositions"/>.</summary>
    public IReadOnlyList<SoftTokenKind> SoftTokenKinds => SoftTokenKindArray;

    /// <summary>History items that fit (the newest ones).</summary>
    public int HistoryItemsKept { get; }

    /// <summary>History items dropped from the oldest side to respect the maximum length.</summary>
    public int HistoryItemsDropped { get; }

    /// <summary>Whether a truncatable text slot (e.g. the candidate's text) was shortened.</summary>
    public bool TextTruncated { get; }

    internal int[] InputIdArray { get; }

    internal int[] SoftTokenPositionArray { get; }

    internal SoftTokenKind[] SoftTokenKindArray { get; }
}
