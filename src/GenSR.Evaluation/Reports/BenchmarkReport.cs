using System.Text.Encodings.Web;
using System.Text.Json;
using GenSR.Core.Data;
using GenSR.Core.Metrics;

namespace GenSR.Evaluation.Reports;

/// <summary>
/// The result of one harness run: the dataset and split, how each protocol was applied, and every system's runs with
/// their test reports. Written as <c>report.md</c> (tables, mean ± std over seeds) and <c>report.json</c> (versioned,
/// reloadable with <see cref="Load"/>).
/// </summary>
public sealed class BenchmarkReport
{
    /// <summary>Version of the JSON format written by <see cref="ToJsonString"/>.</summary>
    public const int FormatVersion = 1;

    /// <summary>The file name of the Markdown report inside the output folder.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The file name of the JSON report inside the output folder.</summary>
    public const string JsonFileName = "report.json";

    /// <summary>The dataset's name.</summary>
    public required string Dataset { get; init; }

    /// <summary>Statistics of the dataset as evaluated (after query synthesis).</summary>
    public required DatasetStatistics Statistics { get; init; }

    /// <summary>Where the search events' queries come from, e.g. <c>synthesised from category paths (fraction 0.5, seed 42)</c>.</summary>
    public required string Queries { get; init; }

    /// <summary>How the data was split, in words.</summary>
    public required string Split { get; init; }

    /// <summary>Number of validation cases (users), each evaluated in every served task.</summary>
    public required int ValidationCases { get; init; }

    /// <summary>Number of test cases (users), each evaluated in every served task.</summary>
    public required int TestCases { get; init; }

    /// <summary>The device the systems ran on, e.g. <c>cpu</c> or <c>cuda</c>.</summary>
    public required string Device { get; init; }

    /// <summary>The seeds; every system ran once per seed.</summary>
    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>The metric cutoffs K.</summary>
    public required IReadOnlyList<int> Cutoffs { get; init; }

    /// <summary>The protocols asked for, each with how it was applied (candidates, exclusion), in order.</summary>
    public required IReadOnlyList<KeyValuePair<EvaluationProtocol, string>> Protocols { get; init; }

    /// <summary>The compared systems, in the order they ran.</summary>
    public required IReadOnlyList<SystemResult> Systems { get; init; }

    /// <summary>The command line that produced the report, when known.</summary>
    public string? CommandLine { get; init; }

    /// <summary>Free-text notes for the reader (e.g. dataset warnings, systems without a protocol).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>When the report was made (UTC).</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The Markdown rendering: setup, one table per protocol and task (mean ± std over seeds, best in bold), training.</summary>
    public string ToMarkdown() => BenchmarkReportMarkdown.Render(this);

    /// <summary>The report as indented, versioned JSON.</summary>
    public string ToJsonString() => BenchmarkReportJson.Write(this).ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = true,
        // A file for people as well as programs: keep ', + and non-ASCII letters readable instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Writes <see cref="MarkdownFileName"/> and <see cref="JsonFileName"/> into <paramref name="folder"/> (created when missing; each file via a temporary file and a rename).</summary>
    /// <param name="folder">The output folder.</param>
    /// <returns>The paths of the Markdown and the JSON file.</returns>
    public (string Markdown, string Json) Save(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var markdown = Path.Combine(folder, MarkdownFileName);
        var json = Path.Combine(folder, JsonFileName);
        WriteAtomically(markdown, ToMarkdown());
        WriteAtomically(json, ToJsonString());
        return (markdown, json);
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    /// <param name="path">The <c>report.json</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a report of a supported version; the message names the file and the problem.</exception>
    public static BenchmarkReport Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses JSON text written by <see cref="ToJsonString"/>.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="InvalidDataException">The text is not a report of a supported version.</exception>
    public static BenchmarkReport Parse(string json, string source = "benchmark report") => BenchmarkReportJson.Read(json, source);

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
