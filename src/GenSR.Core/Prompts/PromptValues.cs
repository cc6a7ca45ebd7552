namespace GenSR.Core;

/// <summary>What fills a template's slots: text per text slot and, for <c>{history}</c>, one token-id sequence per history item.</summary>
public sealed record PromptValues
{
    /// <summary>Text slot name → text (e.g. <c>query</c> → "acoustic guitar strings"). Values for slots the template lacks are ignored.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; init => field = value ?? throw new ArgumentNullException(nameof(Texts)); }
        = new Dictionary<string, string>();

    /// <summary>History items, oldest first; each entry is that item's token ids (e.g. its identifier tokens).
    /// When the prompt is too long, whole entries are dropped from the oldest side.</summary>
    public IReadOnlyList<IReadOnlyList<int>> History { get; init => field = value ?? throw new ArgumentNullException(nameof(History)); } = [];

    /// <summary>Values for a generative or pointwise prompt.</summary>
    /// <param name="history">History items' token ids, oldest first.</param>
    /// <param name="query">The search query (search prompts).</param>
    /// <param name="candidate">The candidate item's text (pointwise prompts).</param>
    public static PromptValues Create(IReadOnlyList<IReadOnlyList<int>> history, string? query = null, string? candidate = null)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query is not null) texts[GenSRPromptTemplates.QuerySlot] = query;
        if (candidate is not null) texts[GenSRPromptTemplates.CandidateSlot] = candidate;
        return new PromptValues { Texts = texts, History = history };
    }
}
