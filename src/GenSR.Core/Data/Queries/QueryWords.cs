using System.Text;

namespace GenSR.Core;

/// <summary>Splits text into lower-case query words: letters and digits; apostrophes dropped; anything else separates.</summary>
internal static class QueryWords
{
    /// <summary>Appends the words of <paramref name="text"/> that are neither stop words nor already present.</summary>
    public static void AppendDistinct(string text, IReadOnlySet<string> stopWords, List<string> words, HashSet<string> seen, int limit = int.MaxValue)
    {
        var current = new StringBuilder();
        for (var i = 0; i <= text.Length && words.Count < limit; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            // "Children's" → "childrens": an apostrophe inside a word does not split it.
            if (c is '\'' or '\u2019' && current.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                continue;
            if (current.Length == 0)
                continue;
            var word = current.ToString();
            current.Clear();
            if (!stopWords.Contains(word) && seen.Add(word))
                words.Add(word);
        }
    }

    /// <summary>The distinct non-stop words of a text, in order.</summary>
    public static List<string> Distinct(string text, IReadOnlySet<string> stopWords)
    {
        var words = new List<string>();
        AppendDistinct(text, stopWords, words, new HashSet<string>(StringComparer.Ordinal));
        return words;
    }
}
