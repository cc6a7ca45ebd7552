namespace GenSR.Evaluation;

/// <summary>A word → id table (id 0 is padding, known words are 1 … Count) for models with word embeddings.</summary>
public sealed class WordVocabulary
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>Builds the vocabulary of every word in <paramref name="texts"/> (in first-seen order).</summary>
    /// <param name="texts">Word lists, e.g. item texts and training queries.</param>
    public WordVocabulary(IEnumerable<IEnumerable<string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var words in texts)
            foreach (var word in words)
                _ids.TryAdd(word, _ids.Count + 1);
    }

    /// <summary>Number of known words; embedding tables need <c>Count + 1</c> rows (row 0 = padding).</summary>
    public int Count => _ids.Count;

    /// <summary>The ids of the known distinct words of <paramref name="words"/>, at most <paramref name="maxWords"/>, unknown words skipped.</summary>
    /// <param name="words">Words, e.g. from <see cref="TextWords.Split"/>.</param>
    /// <param name="maxWords">The most ids returned.</param>
    public int[] Encode(IEnumerable<string> words, int maxWords)
    {
        ArgumentNullException.ThrowIfNull(words);
        var ids = new List<int>();
        foreach (var word in words)
        {
            if (ids.Count == maxWords) break;
            if (_ids.TryGetValue(word, out var id) && !ids.Contains(id)) ids.Add(id);
        }
        return ids.ToArray();
    }
}
