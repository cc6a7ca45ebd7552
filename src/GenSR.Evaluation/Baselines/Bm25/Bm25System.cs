using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// BM25 (Robertson &amp; Zaragoza 2009) over each item's title, brand and category path: a non-personalised lexical
/// search baseline. Serves the search task only; the history is not used. Items that share no word with the query score
/// 0 and tie (ties count against the target).
/// </summary>
public sealed class Bm25System : ICatalogScorer
{
    private Bm25Index? _index;

    /// <summary>Creates the system.</summary>
    /// <param name="options">k1, b and the indexed fields; defaults when null.</param>
    public Bm25System(Bm25Options? options = null) => Options = options ?? new Bm25Options();

    /// <summary>The BM25 parameters.</summary>
    public Bm25Options Options { get; }

    /// <inheritdoc />
    public string Name => "BM25";

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task == TaskKind.Search;

    /// <summary>Indexes the catalogue (no interactions are used).</summary>
    /// <param name="split">The split; only its catalogue is read.</param>
    /// <param name="context">Unused beyond cancellation.</param>
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        var documents = split.Dataset.Catalog
            .Select(item => Options.IncludeDescription
                ? (IReadOnlyList<string>)TextWords.OfItem(item).Concat(TextWords.Split(item.Description)).ToArray()
                : TextWords.OfItem(item))
            .ToArray();
        _index = new Bm25Index(documents, Options);
        return SystemTrainingResult.NotTrained;
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var index = _index ?? throw new InvalidOperationException("BM25 has not been trained (indexed).");
        if (task != TaskKind.Search) throw new NotSupportedException("BM25 serves the search task only.");
        var n = index.DocumentCount;
        if (scores.Length != cases.Count * n)
            throw new ArgumentException($"Expected room for {cases.Count} x {n} scores, got {scores.Length}.", nameof(scores));
        for (var row = 0; row < cases.Count; row++)
            index.Score(TextWords.Split(cases[row].Query), scores.Slice(row * n, n));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
