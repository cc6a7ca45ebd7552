using GenSR.Core;

namespace GenSR.Evaluation;

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

    /// <summary>Published figures shown beside the measured rows, labelled with their source (see <see cref="PublishedResult"/>).</summary>
    public IReadOnlyList<PublishedResult> Published { get; init; } = [];

    /// <summary>When the report was made (UTC).</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The Markdown rendering: setup, one table per protocol and task (mean ± std over seeds, best in bold), training.</summary>
    public string ToMarkdown() => BenchmarkReportMarkdown.Render(this);

    /// <summary>The report as indented, versioned JSON.</summary>
    public string ToJsonString() => BenchmarkReportJson.Write(this);

    // Set when read from a file without "published" (written before published rows existed), so saving it keeps that shape.
    internal bool WrittenWithoutPublished { get; init; }

    /// <summary>Writes <see cref="MarkdownFileName"/> and <see cref="JsonFileName"/> into <paramref name="folder"/> (created when missing; each file via a
    /// temporary file and a rename).</summary>
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

    /// <summary>
    /// One report from several runs of the same comparison made separately, for example one seed per process: the runs
    /// of each system (matched by name) are put together in seed order, so the tables give mean ± standard deviation
    /// over all of them.
    /// </summary>
    /// <param name="reports">Reports of the same dataset, queries, split, case counts, cutoffs and protocols.</param>
    /// <returns>The merged report: seeds, commands, devices and notes of all the reports (commands one per line).</returns>
    /// <exception cref="ArgumentException">Fewer than one report; reports of different setups (the message names the
    /// field and the report's index); or a system with the same seed in two reports.</exception>
    public static BenchmarkReport Merge(IReadOnlyList<BenchmarkReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) throw new ArgumentException("Give at least one report to merge.", nameof(reports));
        var first = reports[0] ?? throw new ArgumentException("Report 0 is null.", nameof(reports));
        for (var i = 1; i < reports.Count; i++)
        {
            var r = reports[i] ?? throw new ArgumentException($"Report {i} is null.", nameof(reports));
            Same(r.Dataset == first.Dataset, "dataset", i);
            Same(r.Statistics == first.Statistics, "dataset statistics", i);
            Same(r.Queries == first.Queries, "queries", i);
            Same(r.Split == first.Split, "split", i);
            Same(r.ValidationCases == first.ValidationCases && r.TestCases == first.TestCases, "validation and test case counts", i);
            Same(r.Cutoffs.SequenceEqual(first.Cutoffs), "cutoffs", i);
            Same(r.Protocols.SequenceEqual(first.Protocols), "protocols", i);
        }

        var systems = new List<(string Name, IReadOnlyList<TaskKind> Tasks, List<SystemRun> Runs)>();
        for (var i = 0; i < reports.Count; i++)
            foreach (var system in reports[i].Systems)
            {
                var index = systems.FindIndex(s => s.Name == system.Name);
                if (index < 0)
                {
                    systems.Add((system.Name, system.Tasks, []));
                    index = systems.Count - 1;
                }
                else if (!systems[index].Tasks.SequenceEqual(system.Tasks))
                    throw new ArgumentException($"Report {i}: system \"{system.Name}\" serves {string.Join(", ", system.Tasks)}, not " +
                        $"{string.Join(", ", systems[index].Tasks)} as in an earlier report.", nameof(reports));
                foreach (var run in system.Runs)
                {
                    if (systems[index].Runs.Any(r => r.Seed == run.Seed))
                        throw new ArgumentException(
                            $"Report {i}: system \"{system.Name}\" has seed {run.Seed}, which an earlier report already has.", nameof(reports));
                    systems[index].Runs.Add(run);
                }
            }

        return new BenchmarkReport
        {
            Dataset = first.Dataset,
            Statistics = first.Statistics,
            Queries = first.Queries,
            Split = first.Split,
            ValidationCases = first.ValidationCases,
            TestCases = first.TestCases,
            Device = string.Join(", ", reports.Select(r => r.Device).Distinct()),
            Seeds = reports.SelectMany(r => r.Seeds).Distinct().Order().ToArray(),
            Cutoffs = first.Cutoffs,
            Protocols = first.Protocols,
            Systems = systems.Select(s => new SystemResult(s.Name, s.Tasks, s.Runs.OrderBy(r => r.Seed).ToArray())).ToArray(),
            CommandLine = reports.Any(r => r.CommandLine is not null)
                ? string.Join("\n", reports.Select(r => r.CommandLine).OfType<string>().Distinct())
                : null,
            Notes = reports.SelectMany(r => r.Notes).Distinct().ToArray(),
            Published = reports.SelectMany(r => r.Published)
                .DistinctBy(p => (p.System, p.Source, p.Protocol, p.Task)).ToArray(),
        };

        static void Same(bool same, string what, int index)
        {
            if (!same) throw new ArgumentException(
                $"Report {index} differs from report 0 in its {what}; only runs of the same comparison can be merged.", nameof(reports));
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
