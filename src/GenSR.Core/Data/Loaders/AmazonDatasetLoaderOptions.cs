namespace GenSR.Core;

/// <summary>Options of <see cref="AmazonDatasetLoader"/>.</summary>
public sealed record AmazonDatasetLoaderOptions
{
    private readonly string? _datasetName;

    /// <summary>
    /// Drop the first category segment when every item that has categories starts with the same one
    /// (e.g. <c>Industrial &amp; Scientific</c> in the Amazon 2018 Scientific data). Default <c>true</c>.
    /// </summary>
    public bool DropSharedRootCategory { get; init; } = true;

    /// <summary>
    /// The <c>&lt;Name&gt;</c> of the files to read (<c>&lt;Name&gt;.inter.json</c>, <c>&lt;Name&gt;.item.json</c>);
    /// <c>null</c> (default) reads the only <c>*.inter.json</c> in the folder.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or contains a path separator.</exception>
    public string? DatasetName
    {
        get => _datasetName;
        init => _datasetName = value is null || (value.Trim().Length > 0 && value.IndexOfAny(['/', '\\']) < 0)
            ? value
            : throw new ArgumentException($"{nameof(DatasetName)} must be a non-empty file-name prefix without path separators, got \"{value}\".",
                nameof(DatasetName));
    }
}
