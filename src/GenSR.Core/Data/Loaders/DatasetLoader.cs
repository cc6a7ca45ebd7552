namespace GenSR.Core;

/// <summary>Loads a dataset folder in any supported <see cref="DatasetFormat"/>, or detects the format from its files.</summary>
public static class DatasetLoader
{
    /// <summary>Creates the loader of a format with its default options.</summary>
    /// <param name="format">The format.</param>
    /// <returns>A loader for that format.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The format is not a defined value.</exception>
    public static IDatasetLoader Create(DatasetFormat format) => format switch
    {
        DatasetFormat.Amazon => new AmazonDatasetLoader(),
        DatasetFormat.MovieLens => new MovieLensLoader(),
        DatasetFormat.JsonLines => new JsonLinesDatasetLoader(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a defined dataset format."),
    };

    /// <summary>Loads a dataset folder in the given format.</summary>
    /// <param name="path">The dataset folder.</param>
    /// <param name="format">Its format.</param>
    /// <param name="cancellationToken">Cancels a long load.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">A file is missing or malformed.</exception>
    public static SrDataset Load(string path, DatasetFormat format, CancellationToken cancellationToken = default) =>
        Create(format).Load(path, cancellationToken);

    /// <summary>Loads a dataset folder, detecting its format with <see cref="DetectFormat"/>.</summary>
    /// <param name="path">The dataset folder.</param>
    /// <param name="cancellationToken">Cancels a long load.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The format cannot be told, or a file is missing or malformed.</exception>
    public static SrDataset Load(string path, CancellationToken cancellationToken = default) =>
        Load(path, DetectFormat(path), cancellationToken);

    /// <summary>
    /// Tells the format of a dataset folder from its files: <c>*.inter.json</c> → Amazon, <c>u.data</c> →
    /// MovieLens, <c>events.jsonl</c> → JSON Lines.
    /// </summary>
    /// <param name="folder">The dataset folder.</param>
    /// <returns>The one format whose marker file is present.</returns>
    /// <exception cref="DatasetFormatException">The folder does not exist, or holds the marker files of no format or of several.</exception>
    public static DatasetFormat DetectFormat(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DatasetFormatException(folder, null, "the folder does not exist; expected a dataset folder.");
        var found = new List<DatasetFormat>();
        if (AmazonDatasetLoader.FindNames(folder).Count > 0)
            found.Add(DatasetFormat.Amazon);
        if (File.Exists(Path.Combine(folder, MovieLensLoader.RatingsFileName)))
            found.Add(DatasetFormat.MovieLens);
        if (File.Exists(Path.Combine(folder, JsonLinesDatasetLoader.EventsFileName)))
            found.Add(DatasetFormat.JsonLines);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new DatasetFormatException(folder, null,
                $"cannot tell the dataset format; expected <Name>{AmazonDatasetLoader.InteractionsSuffix} (amazon), " +
                $"{MovieLensLoader.RatingsFileName} (movielens) or {JsonLinesDatasetLoader.EventsFileName} (jsonl)."),
            _ => throw new DatasetFormatException(folder, null,
                $"the folder holds files of several formats ({string.Join(", ", found.Select(f => f.Name))}); name the format explicitly."),
        };
    }
}
