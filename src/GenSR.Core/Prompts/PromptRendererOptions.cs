namespace GenSR.Core;

/// <summary>Options of <see cref="PromptRenderer"/>.</summary>
public sealed record PromptRendererOptions
{
    /// <summary>Longest rendered prompt in tokens, end-of-sequence token included; in [8, 65536]. Default 256.</summary>
    public int MaxLength
    {
        get;
        init => field = value is >= 8 and <= 65_536
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, "MaxLength must be in [8, 65536].");
    } = 256;

    /// <summary>
    /// Text slots that may be shortened (words dropped from their end) when the prompt does not fit even without history.
    /// The query is not among them by default: truncation keeps the query. Default: <c>candidate</c>.
    /// </summary>
    public IReadOnlyList<string> TruncatableTextSlots { get; init => field = value ?? throw new ArgumentNullException(nameof(TruncatableTextSlots)); }
        = [GenSRPromptTemplates.CandidateSlot];
}
