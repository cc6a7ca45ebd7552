namespace GenSR.Core;

/// <summary>
/// Thrown when a dataset file is malformed. The message names the file, the line or record, and what
/// was expected, so that a user can find and fix the input.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file being read.</param>
    /// <param name="location">Where in the file, e.g. <c>line 12</c> or <c>record "A0012"</c>; may be <c>null</c> for the whole file.</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public DatasetFormatException(string file, string? location, string problem, Exception? inner = null)
        : base(Compose(file, location, problem), inner)
    {
        File = file;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>The line or record, or <c>null</c> when the problem concerns the whole file.</summary>
    public string? Location { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    private static string Compose(string file, string? location, string problem) =>
        location is null ? $"{file}: {problem}" : $"{file}, {location}: {problem}";
}
