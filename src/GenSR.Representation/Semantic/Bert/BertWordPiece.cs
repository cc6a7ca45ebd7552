using Microsoft.ML.Tokenizers;

namespace GenSR.Representation;

/// <summary>
/// The WordPiece side shared by the BERT-architecture sentence encoders: reading a <c>vocab.txt</c>, building HF's
/// <c>BertTokenizer</c> behaviour on Microsoft.ML.Tokenizers, and the <c>[CLS] … [SEP]</c> sequence of a text.
/// </summary>
internal static class BertWordPiece
{
    /// <summary>
    /// Builds the tokenizer from the lines of a <c>vocab.txt</c> (line <c>i</c> is token id <c>i</c>). A repeated or empty
    /// line keeps its id under a placeholder token, so later ids do not shift. <paramref name="source"/> names the
    /// vocabulary in errors.
    /// </summary>
    /// <exception cref="InvalidDataException">The vocabulary cannot make a WordPiece tokenizer.</exception>
    public static (BertTokenizer Tokenizer, int VocabularySize) Create(IReadOnlyList<string> lines, bool lowerCase, string source)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++) last[lines[i]] = i;
        var patched = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++)
            patched[i] = lines[i].Length > 0 && last[lines[i]] == i ? lines[i] : $"[gensr-unused-line-{i}]";
        try
        {
            // HF's BasicTokenizer strips accents exactly when it lower-cases (strip_accents unset) and splits CJK characters.
            using var vocabulary = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", patched) + "\n"));
            var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
            {
                LowerCaseBeforeTokenization = lowerCase,
                RemoveNonSpacingMarks = lowerCase,
                IndividuallyTokenizeCjk = true,
                ApplyBasicTokenization = true,
            });
            return (tokenizer, lines.Count);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException(
                $"{source}: cannot build a WordPiece tokenizer ({e.Message}); expected one token per line including [PAD], [UNK], [CLS], [SEP], [MASK].", e);
        }
    }

    /// <summary>The ids of <c>[CLS] text [SEP]</c>, the text's word pieces cut so that the whole is at most <paramref name="maxLength"/>.</summary>
    public static int[] ToIds(BertTokenizer tokenizer, string text, int maxLength)
    {
        var pieces = tokenizer.EncodeToIds(text, addSpecialTokens: false);
        var kept = Math.Min(pieces.Count, maxLength - 2);
        var ids = new int[kept + 2];
        ids[0] = tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++) ids[i + 1] = pieces[i];
        ids[^1] = tokenizer.SeparatorTokenId;
        return ids;
    }
}
