namespace GenSR.Evaluation;

/// <summary>
/// An inverted index that scores every document against a query with Okapi BM25 (Robertson &amp; Zaragoza, "The Probabilistic
/// Relevance Framework: BM25 and Beyond", 2009):
/// <c>Σ_t idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))</c> over the query's distinct words t. The idf is
/// <c>ln(1 + (N − df + 0.5)/(df + 0.5))</c>, the Robertson–Spärck Jones weight shifted as in Lucene so that a word found in
/// most documents still counts a little instead of negatively.
/// </summary>
public sealed class Bm25Index
{
    private readonly Dictionary<string, (int Document, int Frequency)[]> _postings;
    private readonly float[] _lengthNorm;

    /// <summary>Indexes <paramref name="documents"/> (document id = position).</summary>
    /// <param name="documents">Each document's words.</param>
    /// <param name="options">k1 and b; defaults when null.</param>
    public Bm25Index(IReadOnlyList<IReadOnlyList<string>> documents, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        Options = options ?? new Bm25Options();
        DocumentCount = documents.Count;
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        long totalLength = 0;
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < documents.Count; d++)
        {
            var words = documents[d] ?? throw new ArgumentException($"Document {d} is null.", nameof(documents));
            totalLength += words.Count;
            frequencies.Clear();
            foreach (var w in words) frequencies[w] = frequencies.GetValueOrDefault(w) + 1;
            foreach (var (w, f) in frequencies)
            {
                if (!postings.TryGetValue(w, out var list)) postings[w] = list = [];
                list.Add((d, f));
            }
        }
        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        AverageLength = documents.Count == 0 ? 0 : (double)totalLength / documents.Count;
        _lengthNorm = new float[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            var relative = AverageLength > 0 ? documents[d].Count / AverageLength : 0;
            _lengthNorm[d] = (float)(Options.K1 * (1 - Options.B + Options.B * relative));
        }
    }

    /// <summary>The parameters.</summary>
    public Bm25Options Options { get; }

    /// <summary>Number of indexed documents.</summary>
    public int DocumentCount { get; }

    /// <summary>Mean document length in words.</summary>
    public double AverageLength { get; }

    /// <summary>Number of documents that contain <paramref name="word"/>.</summary>
    /// <param name="word">A word as produced by the tokenizer.</param>
    public int DocumentFrequency(string word) => _postings.TryGetValue(word, out var p) ? p.Length : 0;

    /// <summary>The idf weight of a word: <c>ln(1 + (N − df + 0.5)/(df + 0.5))</c>.</summary>
    /// <param name="word">A word.</param>
    public double InverseDocumentFrequency(string word)
    {
        var df = DocumentFrequency(word);
        return Math.Log(1 + (DocumentCount - df + 0.5) / (df + 0.5));
    }

    /// <summary>Scores every document against <paramref name="queryWords"/>; documents without a query word score 0.</summary>
    /// <param name="queryWords">The query's words (repeats count once).</param>
    /// <param name="scores">Receives [<see cref="DocumentCount"/>] scores.</param>
    public void Score(IReadOnlyList<string> queryWords, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(queryWords);
        if (scores.Length != DocumentCount)
            throw new ArgumentException($"Expected room for {DocumentCount} scores, got {scores.Length}.", nameof(scores));
        scores.Clear();
        var k1 = (float)Options.K1;
        foreach (var word in queryWords.Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(word, out var postings)) continue;
            var idf = (float)InverseDocumentFrequency(word);
            foreach (var (document, frequency) in postings)
                scores[document] += idf * frequency * (k1 + 1) / (frequency + _lengthNorm[document]);
        }
    }
}
