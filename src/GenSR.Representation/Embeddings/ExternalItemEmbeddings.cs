using GenSR.Core;

namespace GenSR.Representation;

/// <summary>
/// Brings item vectors from another system (a two-tower model, a product-embedding service, a text model)
/// into the library as the collaborative or semantic view: vectors are matched to catalogue items by key or
/// row, their dimension and values are checked, and coverage is measured and reported.
/// </summary>
public static class ExternalItemEmbeddings
{
    /// <summary>Matches a stream of <c>(item key, vector)</c> pairs against <paramref name="catalog"/>.</summary>
    /// <param name="vectors">Pairs in any order; each catalogue key at most once.</param>
    /// <param name="catalog">The catalogue whose dense ids define the rows of the result.</param>
    /// <param name="options">Source view, expected dimension, missing-item policy; defaults when null.</param>
    /// <exception cref="ArgumentException">A key is null or repeats, a vector is null, has the wrong length (the message names the key and both
    /// dimensions) or holds NaN/infinity, or no vector at all was provided.</exception>
    /// <exception cref="EmbeddingCoverageException">Items are missing and <see cref="ExternalEmbeddingOptions.MissingItems"/> is
    /// <see cref="MissingItemPolicy.Reject"/>, or unknown keys occur and <see cref="ExternalEmbeddingOptions.RejectUnknownKeys"/> is set.</exception>
    public static ExternalEmbeddingImport Import(IEnumerable<KeyValuePair<string, float[]>> vectors, ItemCatalog catalog,
        ExternalEmbeddingOptions? options = null) =>
        ImportCore(vectors?.Select(kv => (kv.Key, kv.Value)) ?? throw new ArgumentNullException(nameof(vectors)), catalog,
            options ?? new ExternalEmbeddingOptions());

    /// <summary>Matches a stream of <c>(item key, vector)</c> tuples against <paramref name="catalog"/>; see
    /// <see cref="Import(IEnumerable{KeyValuePair{string, float[]}}, ItemCatalog, ExternalEmbeddingOptions?)"/>.</summary>
    public static ExternalEmbeddingImport Import(IEnumerable<(string Key, float[] Vector)> vectors, ItemCatalog catalog,
        ExternalEmbeddingOptions? options = null) =>
        ImportCore(vectors ?? throw new ArgumentNullException(nameof(vectors)), catalog, options ?? new ExternalEmbeddingOptions());

    /// <summary>Takes a matrix whose row <c>i</c> is the vector of dense item id <c>i</c>.</summary>
    /// <param name="matrix">Vectors <c>[items, dimension]</c>, one row per catalogue item.</param>
    /// <param name="catalog">The catalogue; its size must equal the number of rows.</param>
    /// <param name="options">Source view, label and expected dimension; defaults when null.</param>
    /// <exception cref="ArgumentException">The row count differs from the catalogue size, or the dimension differs from
    /// <see cref="ExternalEmbeddingOptions.Dimension"/>.</exception>
    public static ExternalEmbeddingImport FromMatrix(EmbeddingMatrix matrix, ItemCatalog catalog, ExternalEmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new ExternalEmbeddingOptions();
        if (matrix.Rows != catalog.Count)
            throw new ArgumentException(
                $"The matrix has {matrix.Rows} rows but the catalogue has {catalog.Count} items; row i must be the vector of item id i.", nameof(matrix));
        if (options.Dimension is { } expected && matrix.Dimension != expected)
            throw new ArgumentException(
                $"The matrix has {matrix.Dimension} columns, expected {expected} (ExternalEmbeddingOptions.Dimension).", nameof(matrix));
        var coverage = new EmbeddingCoverage(catalog.Count, matrix.Rows, matrix.Rows, 0, Array.Empty<string>(), 0, Array.Empty<string>(), 0);
        return new ExternalEmbeddingImport(new ItemEmbeddings(matrix, options.Source, options.Label), coverage);
    }

    /// <summary>Takes a 2-D array whose row <c>i</c> is the vector of dense item id <c>i</c>; see
    /// <see cref="FromMatrix(EmbeddingMatrix, ItemCatalog, ExternalEmbeddingOptions?)"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite (the message names the item key), or the shape does not fit the catalogue.</exception>
    public static ExternalEmbeddingImport FromMatrix(float[,] matrix, ItemCatalog catalog, ExternalEmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(catalog);
        int rows = matrix.GetLength(0), dimension = matrix.GetLength(1);
        if (dimension < 1) throw new ArgumentException("The matrix has no columns.", nameof(matrix));
        var values = new float[(long)rows * dimension];
        for (var r = 0; r < rows; r++)
            for (var d = 0; d < dimension; d++)
            {
                var v = matrix[r, d];
                if (!float.IsFinite(v))
                    throw new ArgumentException($"Row {r}{KeyOf(catalog, r)} has a non-finite value ({v}) at dimension {d}.", nameof(matrix));
                values[(long)r * dimension + d] = v;
            }
        return FromMatrix(EmbeddingMatrix.Wrap(values, rows, dimension), catalog, options);
    }

    private static string KeyOf(ItemCatalog catalog, int row) => catalog.Contains(row) ? $" (item key \"{catalog[row].Key}\")" : "";

    private static ExternalEmbeddingImport ImportCore(IEnumerable<(string Key, float[] Vector)> vectors, ItemCatalog catalog, ExternalEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dimension = options.Dimension ?? -1;
        string? dimensionFrom = options.Dimension is null ? null : "ExternalEmbeddingOptions.Dimension";
        float[]? values = null;
        var seenAt = new int[catalog.Count];
        var unknownKeys = new List<string>();
        var unknownCount = 0;
        var position = 0;

        foreach (var (key, vector) in vectors)
        {
            if (key is null) throw new ArgumentException($"Vector {position} has a null item key.", nameof(vectors));
            if (vector is null) throw new ArgumentException($"Item key \"{key}\" (vector {position}) has a null vector.", nameof(vectors));
            if (dimension < 0)
            {
                if (vector.Length == 0) throw new ArgumentException($"Item key \"{key}\" has an empty vector.", nameof(vectors));
                dimension = vector.Length;
                dimensionFrom = $"the first vector, item key \"{key}\"";
            }
            if (vector.Length != dimension)
                throw new ArgumentException(
                    $"Item key \"{key}\" has a vector of dimension {vector.Length}, expected {dimension} (from {dimensionFrom}).", nameof(vectors));
            var bad = Array.FindIndex(vector, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"Item key \"{key}\" has a non-finite value ({vector[bad]}) at dimension {bad}.", nameof(vectors));

            if (catalog.TryGetByKey(key, out var item))
            {
                if (seenAt[item.Id] != 0)
                    throw new ArgumentException($"Item key \"{key}\" appears twice (vectors {seenAt[item.Id] - 1} and {position}).", nameof(vectors));
                seenAt[item.Id] = position + 1;
                values ??= new float[(long)catalog.Count * dimension];
                vector.CopyTo(values, (long)item.Id * dimension);
            }
            else
            {
                unknownCount++;
                if (unknownKeys.Count < options.ReportedKeyLimit) unknownKeys.Add(key);
            }
            position++;
        }

        if (position == 0) throw new ArgumentException("No vectors were provided.", nameof(vectors));

        var missingKeys = new List<string>();
        var missingCount = 0;
        for (var i = 0; i < catalog.Count; i++)
        {
            if (seenAt[i] != 0) continue;
            missingCount++;
            if (missingKeys.Count < options.ReportedKeyLimit) missingKeys.Add(catalog[i].Key);
        }
        var matched = catalog.Count - missingCount;
        var fill = missingCount > 0 && options.MissingItems == MissingItemPolicy.FillWithMean && matched > 0;
        var coverage = new EmbeddingCoverage(catalog.Count, position, matched, missingCount, missingKeys, unknownCount, unknownKeys, fill ? missingCount : 0);

        if (unknownCount > 0 && options.RejectUnknownKeys)
            throw new EmbeddingCoverageException(
                $"{unknownCount} vector(s) name keys that are not in the catalogue (e.g. {Quote(unknownKeys)}); set RejectUnknownKeys = false to ignore " +
                $"them. Coverage: {coverage}.", coverage);
        if (matched == 0)
            throw new EmbeddingCoverageException(
                $"None of the {position} vectors matches a catalogue key (catalogue keys look like \"{(catalog.Count > 0 ? catalog[0].Key : "")}\", vector " +
                $"keys like {Quote(unknownKeys)}).", coverage);
        if (missingCount > 0 && !fill)
            throw new EmbeddingCoverageException(
                $"{missingCount} of {catalog.Count} catalogue items have no vector (e.g. {Quote(missingKeys)}); " +
                "set MissingItems = MissingItemPolicy.FillWithMean to give them the mean vector.", coverage);

        values ??= new float[(long)catalog.Count * dimension];
        if (fill) FillWithMean(values, seenAt, dimension);
        var embeddings = new ItemEmbeddings(EmbeddingMatrix.Wrap(values, catalog.Count, dimension), options.Source, options.Label);
        return new ExternalEmbeddingImport(embeddings, coverage);
    }

    private static void FillWithMean(float[] values, int[] seenAt, int dimension)
    {
        var mean = new double[dimension];
        var count = 0;
        for (var i = 0; i < seenAt.Length; i++)
        {
            if (seenAt[i] == 0) continue;
            count++;
            for (var d = 0; d < dimension; d++) mean[d] += values[(long)i * dimension + d];
        }
        for (var i = 0; i < seenAt.Length; i++)
        {
            if (seenAt[i] != 0) continue;
            for (var d = 0; d < dimension; d++) values[(long)i * dimension + d] = (float)(mean[d] / count);
        }
    }

    private static string Quote(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"\"{k}\""));
}
