using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// The most-popular baseline: every case gets the same ranking, items ordered by how often they occur in the training
/// part (validation and test events are not counted). Serves both tasks (ignoring the query in search).
/// </summary>
public sealed class PopularitySystem : ICatalogScorer
{
    private float[]? _counts;

    /// <inheritdoc />
    public string Name => "Popularity";

    /// <inheritdoc />
    public bool Supports(TaskKind task) => Enum.IsDefined(task);

    /// <summary>Training interaction count per item id, available after <see cref="Train"/>.</summary>
    /// <exception cref="InvalidOperationException">The system was not trained.</exception>
    public IReadOnlyList<float> Counts => _counts ?? throw new InvalidOperationException("Popularity has not been trained.");

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        var counts = new float[split.Dataset.Catalog.Count];
        foreach (var interaction in split.TrainingInteractions)
            counts[interaction.ItemId]++;
        _counts = counts;
        return SystemTrainingResult.NotTrained;
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var counts = _counts ?? throw new InvalidOperationException("Popularity has not been trained.");
        if (scores.Length != cases.Count * counts.Length)
            throw new ArgumentException($"Expected room for {cases.Count} x {counts.Length} scores, got {scores.Length}.", nameof(scores));
        for (var row = 0; row < cases.Count; row++)
            counts.CopyTo(scores.Slice(row * counts.Length, counts.Length));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
