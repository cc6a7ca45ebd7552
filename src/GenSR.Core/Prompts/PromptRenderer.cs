using System.Text;

namespace GenSR.Core;

/// <summary>
/// Renders prompt templates to model token ids. Text between two token slots (literals plus filled text slots) is
/// tokenized as one string, so words are split as the tokenizer would split the sentence; whitespace right before a
/// soft token or the history is dropped. Then come the soft tokens (<see cref="ModelVocabulary.SoftTokenId"/> each), the
/// history token ids, and a final end-of-sequence token.
/// When the result would exceed <see cref="PromptRendererOptions.MaxLength"/>, whole history items are dropped from the
/// oldest side; only if the prompt does not fit even without history are truncatable text slots shortened. The query is kept.
/// </summary>
public sealed class PromptRenderer
{
    /// <summary>Creates a renderer over <paramref name="vocabulary"/>.</summary>
    public PromptRenderer(ModelVocabulary vocabulary, PromptRendererOptions? options = null)
    {
        Vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        Options = options ?? new PromptRendererOptions();
    }

    /// <summary>The vocabulary prompts are tokenized with.</summary>
    public ModelVocabulary Vocabulary { get; }

    /// <summary>The options in use.</summary>
    public PromptRendererOptions Options { get; }

    /// <summary>Renders <paramref name="template"/> filled with <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A text slot has no value, a history token id is outside the vocabulary, or the prompt
    /// cannot fit <see cref="PromptRendererOptions.MaxLength"/> even without history and with truncatable text emptied.</exception>
    public RenderedPrompt Render(PromptTemplate template, PromptValues values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var slot in template.TextSlots)
            if (!values.Texts.ContainsKey(slot))
                throw new ArgumentException($"Prompt template \"{template.Name}\" needs a value for {{{slot}}}.", nameof(values));
        var history = template.HasTokenSequenceSlot ? values.History : [];
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i] ?? throw new ArgumentException($"History entry {i} is null.", nameof(values));
            foreach (var id in entry)
                if ((uint)id >= (uint)Vocabulary.Size)
                    throw new ArgumentException($"History entry {i} has token id {id}, outside the vocabulary [0, {Vocabulary.Size}).", nameof(values));
        }

        // Word limits of truncatable slots; int.MaxValue = untruncated.
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        var pieces = Tokenize(template, values.Texts, limits);
        var fixedLength = FixedLength(pieces);
        var textTruncated = false;
        if (fixedLength > Options.MaxLength)
        {
            foreach (var slot in Options.TruncatableTextSlots.Where(template.TextSlots.Contains))
            {
                textTruncated = true;
                var words = Words(values.Texts[slot]).Length;
                // Largest word count that fits (token count grows with the word count).
                int lo = 0, hi = words - 1;
                var best = -1;
                while (lo <= hi)
                {
                    var mid = (lo + hi) / 2;
                    limits[slot] = mid;
                    if (FixedLength(Tokenize(template, values.Texts, limits)) <= Options.MaxLength) { best = mid; lo = mid + 1; }
                    else hi = mid - 1;
                }
                limits[slot] = Math.Max(best, 0);
                pieces = Tokenize(template, values.Texts, limits);
                fixedLength = FixedLength(pieces);
                if (best >= 0) break;
            }
            if (fixedLength > Options.MaxLength)
                throw new ArgumentException(
                    $"Prompt template \"{template.Name}\" needs {fixedLength} tokens without any history" +
                    (textTruncated ? " and with truncatable text removed" : "") +
                    $", more than MaxLength {Options.MaxLength}. Raise MaxLength or shorten the text values.", nameof(values));
        }

        var budget = Options.MaxLength - fixedLength;
        var kept = 0;
        var historyLength = 0;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (historyLength + history[i].Count > budget) break;
            historyLength += history[i].Count;
            kept++;
        }

        var ids = new int[fixedLength + historyLength];
        var positions = new List<int>(template.SoftTokens.Count);
        var kinds = new List<SoftTokenKind>(template.SoftTokens.Count);
        var n = 0;
        foreach (var piece in pieces)
        {
            switch (piece.Kind)
            {
                case PromptSegmentKind.SoftToken:
                    positions.Add(n);
                    kinds.Add(piece.SoftToken!.Value);
                    ids[n++] = Vocabulary.SoftTokenId;
                    break;
                case PromptSegmentKind.TokenSequenceSlot:
                    for (var i = history.Count - kept; i < history.Count; i++)
                        foreach (var id in history[i]) ids[n++] = id;
                    break;
                default:
                    piece.Tokens!.CopyTo(ids, n);
                    n += piece.Tokens!.Length;
                    break;
            }
        }
        ids[n++] = Vocabulary.EosId;
        return new RenderedPrompt(template.Name, ids, positions.ToArray(), kinds.ToArray(), kept, history.Count - kept, textTruncated);
    }

    private List<Piece> Tokenize(PromptTemplate template, IReadOnlyDictionary<string, string> texts, Dictionary<string, int> limits)
    {
        var pieces = new List<Piece>();
        var run = new StringBuilder();
        foreach (var segment in template.Segments)
        {
            switch (segment.Kind)
            {
                case PromptSegmentKind.Literal:
                    run.Append(segment.Text);
                    break;
                case PromptSegmentKind.TextSlot:
                    var value = texts[segment.Text];
                    run.Append(limits.TryGetValue(segment.Text, out var limit) ? string.Join(' ', Words(value).Take(limit)) : value);
                    break;
                default:
                    FlushRun(trimEnd: true);
                    pieces.Add(new Piece(segment.Kind, null, segment.SoftToken));
                    break;
            }
        }
        FlushRun(trimEnd: true);
        return pieces;

        void FlushRun(bool trimEnd)
        {
            var text = trimEnd ? run.ToString().TrimEnd() : run.ToString();
            run.Clear();
            if (string.IsNullOrWhiteSpace(text)) return;
            pieces.Add(new Piece(PromptSegmentKind.Literal, Vocabulary.EncodeText(text), null));
        }
    }

    // Everything but the history: text tokens, one token per soft slot, and the end-of-sequence token.
    private static int FixedLength(List<Piece> pieces) =>
        1 + pieces.Sum(p => p.Kind switch
        {
            PromptSegmentKind.SoftToken => 1,
            PromptSegmentKind.TokenSequenceSlot => 0,
            _ => p.Tokens!.Length,
        });

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private sealed record Piece(PromptSegmentKind Kind, int[]? Tokens, SoftTokenKind? SoftToken);
}
