using System.Text;

namespace GenSR.Core;

/// <summary>
/// The token space a language model sees: special tokens, text tokens from a tokenizer, one soft-token placeholder,
/// and one token per identifier (level, code) pair, laid out as <c>[IdentifierOffset, IdentifierOffset + IdentifierTokenCount)</c>
/// so that <see cref="IdentifierTable.ToTokenIds"/> with <c>tokenOffset = IdentifierOffset</c> gives model token ids.
/// </summary>
public abstract class ModelVocabulary
{
    /// <summary>Sets the number of identifier tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="identifierTokenCount"/> is negative or absurdly large.</exception>
    protected ModelVocabulary(int identifierTokenCount)
    {
        if (identifierTokenCount is < 0 or > 100_000_000)
            throw new ArgumentOutOfRangeException(nameof(identifierTokenCount), identifierTokenCount, "The identifier token count must be in [0, 100000000].");
        IdentifierTokenCount = identifierTokenCount;
    }

    /// <summary>Total number of tokens (rows of the model's embedding): <see cref="IdentifierOffset"/> + <see cref="IdentifierTokenCount"/>.</summary>
    public int Size => IdentifierOffset + IdentifierTokenCount;

    /// <summary>Padding token (also the decoder start token of T5-style models).</summary>
    public abstract int PadId { get; }

    /// <summary>End-of-sequence token.</summary>
    public abstract int EosId { get; }

    /// <summary>Token for text the vocabulary cannot represent.</summary>
    public abstract int UnknownId { get; }

    /// <summary>Placeholder at soft-token positions; the model replaces its embedding with a projected user/item vector.</summary>
    public abstract int SoftTokenId { get; }

    /// <summary>The single token of the pointwise target "Yes".</summary>
    public abstract int YesId { get; }

    /// <summary>The single token of the pointwise target "No".</summary>
    public abstract int NoId { get; }

    /// <summary>Id of the first identifier token.</summary>
    public abstract int IdentifierOffset { get; }

    /// <summary>Number of identifier tokens (the sum of the identifier table's level sizes).</summary>
    public int IdentifierTokenCount { get; }

    /// <summary>Tokenizes <paramref name="text"/> into model token ids (no end-of-sequence token is appended).</summary>
    public abstract int[] EncodeText(string text);

    /// <summary>The same vocabulary (same special and text ids) with <paramref name="identifierTokenCount"/> identifier tokens.</summary>
    public abstract ModelVocabulary WithIdentifierTokenCount(int identifierTokenCount);

    /// <summary>The same vocabulary sized for <paramref name="identifiers"/> (one token per level and code).</summary>
    public ModelVocabulary ForIdentifiers(IdentifierTable identifiers)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        return WithIdentifierTokenCount(identifiers.TokenCount);
    }

    /// <summary>Whether <paramref name="id"/> is an identifier token.</summary>
    public bool IsIdentifierToken(int id) => id >= IdentifierOffset && id < Size;

    /// <summary>
    /// Turns token ids back into readable text: text tokens through the tokenizer, identifier tokens as
    /// <c>&lt;b_200&gt;</c> (with <paramref name="identifiers"/>) or <c>&lt;id_57&gt;</c>, special tokens as <c>&lt;pad&gt;</c>,
    /// <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>, <c>&lt;soft&gt;</c> unless <paramref name="skipSpecialTokens"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, <see cref="Size"/>).</exception>
    public string Decode(IEnumerable<int> ids, IdentifierTable? identifiers = null, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sb = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)Size)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary [0, {Size}).");
            if (IsTextToken(id))
            {
                run.Add(id);
                continue;
            }
            Flush();
            if (IsIdentifierToken(id)) sb.Append(IdentifierTokenName(id - IdentifierOffset, identifiers));
            else if (!skipSpecialTokens) sb.Append(SpecialTokenName(id));
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            if (run.Count == 0) return;
            sb.Append(DecodeTextTokens(run));
            run.Clear();
        }
    }

    /// <summary>Whether <paramref name="id"/> is an ordinary text token (not special, not soft, not an identifier).</summary>
    public abstract bool IsTextToken(int id);

    /// <summary>Decodes a run of consecutive text tokens (decoding a run at once keeps multi-byte characters intact).</summary>
    protected abstract string DecodeTextTokens(IReadOnlyList<int> textIds);

    /// <summary>Readable name of a special (non-text, non-identifier) token.</summary>
    protected virtual string SpecialTokenName(int id) =>
        id == PadId ? "<pad>" : id == EosId ? "</s>" : id == UnknownId ? "<unk>" : id == SoftTokenId ? "<soft>" : $"<special_{id}>";

    private static string IdentifierTokenName(int index, IdentifierTable? identifiers)
    {
        if (identifiers is not null)
            for (var level = 0; level < identifiers.MaxLength; level++)
                if (index >= identifiers.LevelOffset(level) && index < identifiers.LevelOffset(level) + identifiers.LevelSizes[level])
                    return IdentifierTable.TokenName(level, index - identifiers.LevelOffset(level));
        return $"<id_{index}>";
    }
}
