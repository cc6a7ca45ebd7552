using System.Text;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// Splits text into lower-case words (runs of letters and digits; an apostrophe inside a word is dropped) without stop
/// words, the same word notion the query synthesiser uses, so synthesised queries and item texts share a vocabulary.
/// </summary>
public static class TextWords
{
    /// <summary>The words of <paramref name="text"/> in order, repeats kept, stop words (<see cref="QueryStopWords.English"/>) removed.</summary>
    /// <param name="text">Any text; null or empty gives no words.</param>
    public static IReadOnlyList<string> Split(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return words;
        var stopWords = QueryStopWords.English;
        var current = new StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (c is '\'' or '\u2019' && current.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                continue;
            if (current.Length == 0) continue;
            var word = current.ToString();
            current.Clear();
            if (!stopWords.Contains(word)) words.Add(word);
        }
        return words;
    }

    /// <summary>The searchable text of an item: title, brand and category path (the fields BM25 indexes), as words.</summary>
    /// <param name="item">The item.</param>
    public static IReadOnlyList<string> OfItem(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var words = new List<string>();
        words.AddRange(Split(item.Title));
        words.AddRange(Split(item.Brand));
        foreach (var category in item.Categories) words.AddRange(Split(category));
        return words;
    }
}
