using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// Category popularity: the items whose category words equal the request's come first, then the items sharing the
/// most of them (Jaccard overlap of the word sets), each group ordered by training popularity. A search request's words
/// are its query's; a recommendation request's are those of the last history item's category path. An item's words are
/// the category-path words of <see cref="CategoryQuerySynthesizer.BuildQuery"/> (its title words when it has no
/// category), so under the synthesised-query protocol this ranks the target's own category first. It needs no training
/// beyond counting, and it is the floor a learned model must clear on such data.
/// </summary>
public sealed class CategoryPopularitySystem : ICatalogScorer
{
    private readonly CategoryQuerySynthesizer _synthesizer = new();
    private float[]? _popularity;
    private HashSet<string>[]? _itemWords;
    private IReadOnlyList<Item>? _catalog;

    /// <inheritdoc />
    public string Name => "Category popularity";

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task is TaskKind.Recommendation or TaskKind.Search;

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        var catalog = split.Dataset.Catalog;
        var counts = new float[catalog.Count];
        foreach (var interaction in split.TrainingInteractions) counts[interaction.ItemId]++;
        var max = counts.Length == 0 ? 0 : counts.Max();
        // Popularity as a fraction below 1/256, so that it only orders items the category words leave tied.
        _popularity = counts.Select(c => c / (max + 1) / 256f).ToArray();
        _itemWords = catalog.Select(WordsOf).ToArray();
        _catalog = catalog;
        return SystemTrainingResult.NotTrained;
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var popularity = _popularity ?? throw new InvalidOperationException("Category popularity has not been trained.");
        var items = popularity.Length;
        if (scores.Length != cases.Count * items)
            throw new ArgumentException($"Expected room for {cases.Count} x {items} scores, got {scores.Length}.", nameof(scores));
        for (var row = 0; row < cases.Count; row++)
        {
            var c = cases[row];
            var words = task == TaskKind.Search
                ? TextWords.Split(c.Query).ToHashSet(StringComparer.Ordinal)
                : c.History.Count == 0 ? [] : WordsOf(_catalog![c.History[^1].ItemId]);
            var target = scores.Slice(row * items, items);
            for (var i = 0; i < items; i++) target[i] = Score(words, _itemWords![i]) + popularity[i];
        }
    }

    /// <summary>
    /// The category part of an item's score: 4 when its words equal the request's, plus twice their Jaccard overlap rounded
    /// down to 1/64 (so that popularity, below 1/256, only breaks ties); 0 for a request without words.
    /// </summary>
    public static float Score(IReadOnlySet<string> request, IReadOnlySet<string> item)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(item);
        if (request.Count == 0 || item.Count == 0) return 0;
        var shared = request.Count(item.Contains);
        var union = request.Count + item.Count - shared;
        var exact = shared == request.Count && shared == item.Count ? 4f : 0f;
        return exact + 2f * MathF.Floor(64f * shared / union) / 64f;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private HashSet<string> WordsOf(Item item) => TextWords.Split(_synthesizer.BuildQuery(item)).ToHashSet(StringComparer.Ordinal);
}
