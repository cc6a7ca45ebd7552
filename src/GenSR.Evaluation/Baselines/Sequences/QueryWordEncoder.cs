
namespace GenSR.Evaluation;

/// <summary>Turns query texts into padded word-id rows over a <see cref="WordVocabulary"/>, caching each distinct text.</summary>
internal sealed class QueryWordEncoder
{
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public QueryWordEncoder(WordVocabulary vocabulary, int maxWords)
    {
        Vocabulary = vocabulary;
        MaxWords = maxWords;
    }

    public WordVocabulary Vocabulary { get; }

    /// <summary>Word ids per query row.</summary>
    public int MaxWords { get; }

    /// <summary>Row-major [queries.Count, MaxWords] word ids (0 = padding; a null query is all padding).</summary>
    public long[] Encode(IReadOnlyList<string?> queries)
    {
        var ids = new long[queries.Count * MaxWords];
        for (var row = 0; row < queries.Count; row++)
        {
            var text = queries[row];
            if (text is null) continue;
            if (!_cache.TryGetValue(text, out var words))
                _cache[text] = words = Vocabulary.Encode(TextWords.Split(text), MaxWords);
            for (var i = 0; i < words.Length; i++) ids[row * MaxWords + i] = words[i];
        }
        return ids;
    }
}
