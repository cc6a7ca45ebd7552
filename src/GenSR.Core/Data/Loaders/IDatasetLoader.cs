namespace GenSR.Core;

/// <summary>Reads a dataset in one on-disk format into an <see cref="SrDataset"/>.</summary>
/// <remarks>
/// Implement this to plug in another format. Implementations report malformed input as a
/// <see cref="DatasetFormatException"/> that names the file, the line or record, and what was expected.
/// </remarks>
public interface IDatasetLoader
{
    /// <summary>The format this loader reads.</summary>
    DatasetFormat Format { get; }

    /// <summary>Loads the dataset stored in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder that holds the dataset's files.</param>
    /// <param name="cancellationToken">Cancels a long load between records.</param>
    /// <returns>The dataset with dense item and user ids and chronological histories.</returns>
    /// <exception cref="DatasetFormatException">A file is missing or malformed.</exception>
    SrDataset Load(string folder, CancellationToken cancellationToken = default);
}
