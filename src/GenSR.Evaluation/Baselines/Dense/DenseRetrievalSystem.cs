using GenSR.Core;
using GenSR.Representation;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// Zero-shot dense retrieval with a sentence encoder, nothing trained: search ranks the catalogue by the cosine of the
/// query's vector and each item's text vector; recommendation by the cosine of the mean of the history items' vectors
/// (the most recent <see cref="HistoryItems"/>) and each item's vector. The baseline a team would deploy with an
/// off-the-shelf embedding model.
/// </summary>
public sealed class DenseRetrievalSystem : ICatalogScorer
{
    private readonly Func<ISemanticEncoder> _itemEncoder;
    private readonly Func<ISemanticEncoder>? _queryEncoder;
    private float[]? _items; // [catalogue, d], unit rows
    private int _dimension;
    private ISemanticEncoder? _queries;

    /// <summary>Creates the system.</summary>
    /// <param name="name">The name in reports, e.g. <c>Dense retrieval (MiniLM)</c>.</param>
    /// <param name="itemEncoder">Creates the encoder of item texts (called once, in <see cref="Train"/>; disposed after).</param>
    /// <param name="queryEncoder">Creates the encoder of queries (e.g. with a query prefix); null to use the item encoder.</param>
    /// <param name="fields">The item fields encoded. Default title, brand and categories.</param>
    /// <param name="historyItems">History items averaged for recommendation, most recent first; 1 … 1,000. Default 20.</param>
    public DenseRetrievalSystem(string name, Func<ISemanticEncoder> itemEncoder, Func<ISemanticEncoder>? queryEncoder = null,
                                ItemTextFields fields = ItemTextFields.Default, int historyItems = 20)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(itemEncoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyItems, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(historyItems, 1000);
        Name = name;
        _itemEncoder = itemEncoder;
        _queryEncoder = queryEncoder;
        Fields = fields;
        HistoryItems = historyItems;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The item fields encoded.</summary>
    public ItemTextFields Fields { get; }

    /// <summary>History items averaged for recommendation.</summary>
    public int HistoryItems { get; }

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task is TaskKind.Search or TaskKind.Recommendation;

    /// <summary>Encodes the catalogue once and opens the query encoder; nothing is learned.</summary>
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(context);
        var encoder = _itemEncoder();
        var ownsQueries = _queryEncoder is not null;
        try
        {
            using (var vectors = encoder.EncodeItems(split.Dataset.Catalog, Fields, cancellationToken: context.CancellationToken))
                _items = Normalised(vectors, out _dimension);
            _queries = ownsQueries ? _queryEncoder!() : encoder;
            if (_queries.Dimension != _dimension)
                throw new InvalidOperationException($"The query encoder gives {_queries.Dimension}-d vectors but the item encoder {_dimension}-d.");
        }
        finally
        {
            if (ownsQueries) encoder.Dispose();
        }
        return SystemTrainingResult.NotTrained;
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var items = _items ?? throw new InvalidOperationException($"{Name} has not been trained (the catalogue is not encoded).");
        var d = _dimension;
        var n = items.Length / d;
        if (scores.Length != cases.Count * n)
            throw new ArgumentException($"Expected room for {cases.Count} x {n} scores, got {scores.Length}.", nameof(scores));
        var user = new float[cases.Count * d];
        if (task == TaskKind.Search)
        {
            using var vectors = _queries!.Encode(cases.Select(c => c.Query).ToArray());
            Normalised(vectors, out _).CopyTo(user, 0);
        }
        else
        {
            for (var row = 0; row < cases.Count; row++)
            {
                var target = user.AsSpan(row * d, d);
                var history = cases[row].History;
                var used = 0;
                for (var i = history.Count - 1; i >= 0 && used < HistoryItems; i--, used++)
                    System.Numerics.Tensors.TensorPrimitives.Add(target, items.AsSpan(history[i].ItemId * d, d), target);
            }
        }
        for (var row = 0; row < cases.Count; row++)
            for (var item = 0; item < n; item++)
                scores[row * n + item] = System.Numerics.Tensors.TensorPrimitives.Dot(user.AsSpan(row * d, d), items.AsSpan(item * d, d));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queries?.Dispose();
        _queries = null;
    }

    private static float[] Normalised(Tensor vectors, out int dimension)
    {
        var matrix = EmbeddingMatrix.FromTensor(vectors).L2Normalized();
        dimension = matrix.Dimension;
        return matrix.ToArray();
    }
}
