using System.Text;

namespace GenSR.Core;

/// <summary>
/// A task instruction with slots, parsed from text such as
/// <c>Search for: {query}. User: [cf_user] [sem_user]. History: {history}.</c>
/// <list type="bullet">
/// <item><c>{name}</c> is a text slot (filled with text), except <c>{history}</c>, the token-sequence slot (filled with token ids, at
/// most one per template);</item>
/// <item><c>[cf_user]</c>, <c>[sem_user]</c>, <c>[cf_item]</c>, <c>[sem_item]</c>, <c>[query_vec]</c> are soft-token slots (each at most once);</item>
/// <item><c>{{</c> and <c>}}</c> are literal braces; other square brackets are literal text.</item>
/// </list>
/// </summary>
public sealed class PromptTemplate
{
    /// <summary>Name of the token-sequence slot.</summary>
    public const string TokenSequenceSlotName = "history";

    private static readonly (string Tag, SoftTokenKind Kind)[] SoftTags =
    [
        ("cf_user", SoftTokenKind.CollaborativeUser),
        ("sem_user", SoftTokenKind.SemanticUser),
        ("cf_item", SoftTokenKind.CollaborativeItem),
        ("sem_item", SoftTokenKind.SemanticItem),
        ("query_vec", SoftTokenKind.QueryVector),
    ];

    private PromptTemplate(string name, string text, IReadOnlyList<PromptSegment> segments)
    {
        Name = name;
        Text = text;
        Segments = segments;
        TextSlots = segments.Where(s => s.Kind == PromptSegmentKind.TextSlot).Select(s => s.Text).Distinct().ToArray();
        HasTokenSequenceSlot = segments.Any(s => s.Kind == PromptSegmentKind.TokenSequenceSlot);
        SoftTokens = segments.Where(s => s.Kind == PromptSegmentKind.SoftToken).Select(s => s.SoftToken!.Value).ToArray();
        LiteralTexts = segments.Where(s => s.Kind == PromptSegmentKind.Literal).Select(s => s.Text.Trim()).Where(t => t.Length > 0).ToArray();
    }

    /// <summary>Name of the template (for messages and reports).</summary>
    public string Name { get; }

    /// <summary>The template text as given.</summary>
    public string Text { get; }

    /// <summary>The parsed pieces, in order.</summary>
    public IReadOnlyList<PromptSegment> Segments { get; }

    /// <summary>Names of the text slots, in order of first appearance.</summary>
    public IReadOnlyList<string> TextSlots { get; }

    /// <summary>Whether the template has the <c>{history}</c> slot.</summary>
    public bool HasTokenSequenceSlot { get; }

    /// <summary>The soft-token slots in order of appearance.</summary>
    public IReadOnlyList<SoftTokenKind> SoftTokens { get; }

    /// <summary>The literal text pieces, trimmed (what a vocabulary must be able to encode).</summary>
    public IReadOnlyList<string> LiteralTexts { get; }

    /// <summary>The tag of a soft-token slot, e.g. <c>[cf_user]</c>.</summary>
    public static string SoftTokenTag(SoftTokenKind kind)
    {
        foreach (var (tag, k) in SoftTags)
            if (k == kind) return $"[{tag}]";
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown soft token kind.");
    }

    /// <summary>Parses a template.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="name">A name for messages; default "custom".</param>
    /// <exception cref="FormatException">The text is malformed; the message gives the position and what was expected.</exception>
    public static PromptTemplate Parse(string text, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var segments = new List<PromptSegment>();
        var literal = new StringBuilder();
        var seenSoft = new HashSet<SoftTokenKind>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i += 2;
            }
            else if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                literal.Append('}');
                i += 2;
            }
            else if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close < 0) throw Error(name, i, "'{' has no closing '}' (write '{{' for a literal brace)");
                var slot = text[(i + 1)..close];
                if (!IsSlotName(slot)) throw Error(name, i, $"slot name \"{slot}\" must be letters, digits and '_', starting with a letter or '_'");
                FlushLiteral();
                if (slot == TokenSequenceSlotName)
                {
                    if (segments.Any(s => s.Kind == PromptSegmentKind.TokenSequenceSlot))
                        throw Error(name, i, $"{{{TokenSequenceSlotName}}} may appear only once");
                    segments.Add(new PromptSegment(PromptSegmentKind.TokenSequenceSlot, slot));
                }
                else
                {
                    segments.Add(new PromptSegment(PromptSegmentKind.TextSlot, slot));
                }
                i = close + 1;
            }
            else if (c == '}')
            {
                throw Error(name, i, "'}' without an opening '{' (write '}}' for a literal brace)");
            }
            else if (c == '[' && TryReadTag(text, i, out var tag, out var end))
            {
                var kind = SoftTags.Where(t => t.Tag == tag).Select(t => (SoftTokenKind?)t.Kind).FirstOrDefault()
                    ?? throw Error(name, i, $"unknown soft-token slot [{tag}]; known: {string.Join(", ", SoftTags.Select(t => $"[{t.Tag}]"))}");
                if (!seenSoft.Add(kind)) throw Error(name, i, $"soft-token slot [{tag}] may appear only once");
                FlushLiteral();
                segments.Add(new PromptSegment(PromptSegmentKind.SoftToken, tag, kind));
                i = end;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        FlushLiteral();
        return new PromptTemplate(name, text, segments);

        void FlushLiteral()
        {
            if (literal.Length == 0) return;
            segments.Add(new PromptSegment(PromptSegmentKind.Literal, literal.ToString()));
            literal.Clear();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Text}";

    private static bool IsSlotName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    // A soft-token tag looks like [lower_case]; anything else in brackets is ordinary text.
    private static bool TryReadTag(string text, int open, out string tag, out int end)
    {
        var close = text.IndexOf(']', open + 1);
        tag = close > open + 1 ? text[(open + 1)..close] : "";
        end = close + 1;
        return tag.Length > 0 && tag.All(ch => char.IsAsciiLetterLower(ch) || ch == '_');
    }

    private static FormatException Error(string name, int position, string problem) =>
        new($"Prompt template \"{name}\", position {position}: {problem}.");
}
