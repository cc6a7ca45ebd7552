namespace GenSR.Core;

/// <summary>The command-line names of <see cref="DatasetFormat"/> values: <c>amazon</c>, <c>movielens</c>, <c>jsonl</c>.</summary>
public static class DatasetFormatNames
{
    /// <summary>The accepted names, in the order they are listed in messages.</summary>
    public static IReadOnlyList<string> All { get; } = ["amazon", "movielens", "jsonl"];

    /// <summary>Members available on the <see cref="DatasetFormat"/> type itself.</summary>
    extension(DatasetFormat)
    {
        /// <summary>
        /// Parses a format name, ignoring case: <c>amazon</c>, <c>movielens</c> (or <c>ml-100k</c>),
        /// <c>jsonl</c> (or <c>jsonlines</c>).
        /// </summary>
        /// <param name="name">The name to parse.</param>
        /// <returns>The format.</returns>
        /// <exception cref="ArgumentException">The name is none of the accepted ones.</exception>
        public static DatasetFormat Parse(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            return name.Trim().ToLowerInvariant() switch
            {
                "amazon" => DatasetFormat.Amazon,
                "movielens" or "ml-100k" => DatasetFormat.MovieLens,
                "jsonl" or "jsonlines" or "json-lines" => DatasetFormat.JsonLines,
                _ => throw new ArgumentException(
                    $"Unknown dataset format \"{name}\"; expected one of: {string.Join(", ", All)}.", nameof(name)),
            };
        }
    }

    /// <summary>Members available on every <see cref="DatasetFormat"/> value.</summary>
    /// <param name="format">The format.</param>
    extension(DatasetFormat format)
    {
        /// <summary>The command-line name of the format (the inverse of <c>DatasetFormat.Parse</c>).</summary>
        public string Name => format switch
        {
            DatasetFormat.Amazon => "amazon",
            DatasetFormat.MovieLens => "movielens",
            DatasetFormat.JsonLines => "jsonl",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a defined dataset format."),
        };
    }
}
