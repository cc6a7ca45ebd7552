using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>The JSON form of <see cref="BenchmarkReport"/>; each run's test reports use <see cref="EvaluationReport"/>'s own format.</summary>
internal static class BenchmarkReportJson
{
    private const string FormatName = "gensr-benchmark-report";

    public static string Write(BenchmarkReport report) =>
        // A file for people as well as programs: keep ', + and non-ASCII letters readable instead of \uXXXX escapes.
        TypedJson.Write(ToDto(report), ReportsJsonContext.Default.BenchmarkReportDto, relaxedEscaping: true);

    public static BenchmarkReportDto ToDto(BenchmarkReport report)
    {
        var s = report.Statistics;
        return new BenchmarkReportDto
        {
            Format = FormatName,
            Version = BenchmarkReport.FormatVersion,
            Created = report.Created.ToString("O", CultureInfo.InvariantCulture),
            CommandLine = report.CommandLine,
            Dataset = new BenchmarkDatasetDto
            {
                Name = report.Dataset,
                Users = s.Users,
                Items = s.Items,
                Events = s.Events,
                SearchEvents = s.SearchEvents,
                AverageHistoryLength = s.AverageHistoryLength,
                ItemsWithEmptyTitle = s.ItemsWithEmptyTitle,
                Queries = report.Queries,
            },
            Split = new BenchmarkSplitDto { Description = report.Split, ValidationCases = report.ValidationCases, TestCases = report.TestCases },
            Device = report.Device,
            Seeds = report.Seeds.Select(x => (long?)x).ToList(),
            Cutoffs = report.Cutoffs.Select(x => (int?)x).ToList(),
            Protocols =
                report.Protocols.Select(p => (BenchmarkProtocolDto?)new BenchmarkProtocolDto { Protocol = p.Key.ToString(), Description = p.Value }).ToList(),
            Notes = report.Notes.ToList<string?>(),
            Systems = report.Systems.Select(system => (BenchmarkSystemDto?)new BenchmarkSystemDto
            {
                Name = system.Name,
                Tasks = system.Tasks.Select(t => (string?)t.ToString()).ToList(),
                Runs = system.Runs.Select(run => (BenchmarkRunDto?)new BenchmarkRunDto
                {
                    Seed = run.Seed,
                    TrainingSeconds = Math.Round(run.TrainingSeconds, 3),
                    EvaluationSeconds = Math.Round(run.EvaluationSeconds, 3),
                    Training = new BenchmarkTrainingDto
                    {
                        Epochs = run.Training.Epochs,
                        SelectedEpoch = run.Training.SelectedEpoch,
                        ValidationScore = run.Training.ValidationScore,
                        ValidationMetric = run.Training.ValidationMetric,
                        StoppedEarly = run.Training.StoppedEarly,
                        Note = run.Training.Note,
                    },
                    Reports = run.Reports.Select(r => (EvaluationReportDto?)EvaluationReportJson.ToDto(r)).ToList(),
                }).ToList(),
                Summary = Summarize(system, report.Cutoffs),
            }).ToList(),
            // A report read from a file without published rows is written back without them, so loading and saving changes nothing.
            Published = report.Published.Count == 0 && report.WrittenWithoutPublished
                ? null
                : report.Published.Select(p => (PublishedResultDto?)p.ToDto()).ToList(),
        };
    }

    // The summary is derived from the runs; it is written for readers and recomputed on load.
    private static List<BenchmarkSummaryDto> Summarize(SystemResult system, IReadOnlyList<int> cutoffs)
    {
        var summary = new List<BenchmarkSummaryDto>();
        foreach (var protocol in system.Protocols)
            foreach (var task in system.Tasks)
            {
                var metrics = new Dictionary<string, BenchmarkMetricSummaryDto>(StringComparer.Ordinal);
                foreach (var name in MetricNames(cutoffs))
                    if (system.Summarize(protocol, task, name) is { } m)
                        metrics[name] = new BenchmarkMetricSummaryDto { Mean = m.Mean, Std = m.StandardDeviation, Runs = m.Runs };
                if (metrics.Count > 0)
                    summary.Add(new BenchmarkSummaryDto { Protocol = protocol.ToString(), Task = task.ToString(), Metrics = metrics });
            }
        return summary;
    }

    public static BenchmarkReport Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = TypedJson.Utf8(json);
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        var header = TypedJson.ReadHeader(utf8, source);
        if (header.FormatName != FormatName) throw new InvalidDataException($"{source}: expected \"format\": \"{FormatName}\".");
        if (header.VersionNumber is not { } version) throw new InvalidDataException($"{source}: version: expected an integer.");
        if (version != BenchmarkReport.FormatVersion)
            throw new InvalidDataException($"{source}: version {version} is not supported (expected {BenchmarkReport.FormatVersion}).");
        return FromDto(TypedJson.Deserialize(utf8, ReportsJsonContext.Default.BenchmarkReportDto, source), source);
    }

    private static BenchmarkReport FromDto(BenchmarkReportDto root, string source)
    {
        var dataset = Need(root.Dataset, source, "dataset", "an object");
        var statistics = new DatasetStatistics(
            Need(dataset.Users, source, "dataset.users", "an integer"), Need(dataset.Items, source, "dataset.items", "an integer"),
            Need(dataset.Events, source, "dataset.events", "an integer"), Need(dataset.SearchEvents, source, "dataset.searchEvents", "an integer"),
            Need(dataset.AverageHistoryLength, source, "dataset.averageHistoryLength", "a number"),
            Need(dataset.ItemsWithEmptyTitle, source, "dataset.itemsWithEmptyTitle", "an integer"));
        var split = Need(root.Split, source, "split", "an object");

        var protocols = Need(root.Protocols, source, "protocols", "an array").Select((p, i) =>
        {
            var at = $"protocols[{i}]";
            var o = Need(p, source, at, "an object");
            return new KeyValuePair<EvaluationProtocol, string>(
                ParseEnum<EvaluationProtocol>(o.Protocol, source, $"{at}.protocol"), Need(o.Description, source, $"{at}.description", "a string"));
        }).ToArray();

        var systems = Need(root.Systems, source, "systems", "an array").Select((s, i) =>
        {
            var at = $"systems[{i}]";
            var system = Need(s, source, at, "an object");
            var tasks = Need(system.Tasks, source, $"{at}.tasks", "an array")
                .Select((t, j) => ParseEnum<TaskKind>(t, source, $"{at}.tasks[{j}]")).ToArray();
            var runs = Need(system.Runs, source, $"{at}.runs", "an array").Select((r, j) =>
            {
                var runAt = $"{at}.runs[{j}]";
                var run = Need(r, source, runAt, "an object");
                var training = Need(run.Training, source, $"{runAt}.training", "an object");
                var trainingAt = $"{runAt}.training";
                var result = new SystemTrainingResult(
                    Need(training.Epochs, source, $"{trainingAt}.epochs", "an integer"),
                    Need(training.SelectedEpoch, source, $"{trainingAt}.selectedEpoch", "an integer"),
                    training.ValidationScore, training.ValidationMetric,
                    Need(training.StoppedEarly, source, $"{trainingAt}.stoppedEarly", "true or false")) { Note = training.Note };
                var reports = Need(run.Reports, source, $"{runAt}.reports", "an array")
                    .Select((e, k) => EvaluationReportJson.FromDto(e, $"{source}: {runAt}.reports[{k}]")).ToArray();
                return new SystemRun(Need(run.Seed, source, $"{runAt}.seed", "an integer"), result,
                                     Need(run.TrainingSeconds, source, $"{runAt}.trainingSeconds", "a number"),
                                     Need(run.EvaluationSeconds, source, $"{runAt}.evaluationSeconds", "a number"), reports);
            }).ToArray();
            return new SystemResult(Need(system.Name, source, $"{at}.name", "a string"), tasks, runs);
        }).ToArray();

        var created = Need(root.Created, source, "created", "a string");
        return new BenchmarkReport
        {
            Dataset = Need(dataset.Name, source, "dataset.name", "a string"),
            Statistics = statistics,
            Queries = Need(dataset.Queries, source, "dataset.queries", "a string"),
            Split = Need(split.Description, source, "split.description", "a string"),
            ValidationCases = Need(split.ValidationCases, source, "split.validationCases", "an integer"),
            TestCases = Need(split.TestCases, source, "split.testCases", "an integer"),
            Device = Need(root.Device, source, "device", "a string"),
            Seeds = Need(root.Seeds, source, "seeds", "an array").Select((x, i) => Need(x, source, $"seeds[{i}]", "an integer")).ToArray(),
            Cutoffs = Need(root.Cutoffs, source, "cutoffs", "an array").Select((x, i) => Need(x, source, $"cutoffs[{i}]", "an integer")).ToArray(),
            Protocols = protocols,
            Systems = systems,
            CommandLine = root.CommandLine,
            Notes = Need(root.Notes, source, "notes", "an array").Select((x, i) => Need(x, source, $"notes[{i}]", "a string")).ToArray(),
            // Optional: reports written before published rows existed have none.
            Published = (root.Published ?? []).Select((p, i) => PublishedResult.FromDto(p, $"{source}: published[{i}]")).ToArray(),
            WrittenWithoutPublished = root.Published is null,
            Created = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var c)
                ? c
                : throw new InvalidDataException($"{source}: created: expected an ISO 8601 time, got \"{created}\"."),
        };
    }

    /// <summary>The metric names of the cutoffs in display order: Recall@K, NDCG@K, MRR@K per K.</summary>
    public static IEnumerable<string> MetricNames(IEnumerable<int> cutoffs) =>
        cutoffs.SelectMany(k => new[] { RankingMetric.Recall, RankingMetric.Ndcg, RankingMetric.Mrr }.Select(m => TaskMetrics.NameOf(m, k)));

    private static T Need<T>(T? value, string source, string path, string what) where T : class =>
        value ?? throw new InvalidDataException($"{source}: {path}: expected {what}.");

    private static T Need<T>(T? value, string source, string path, string what) where T : struct =>
        value ?? throw new InvalidDataException($"{source}: {path}: expected {what}.");

    private static T ParseEnum<T>(string? text, string source, string path) where T : struct, Enum
    {
        var value = Need(text, source, path, "a string");
        return Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new InvalidDataException($"{source}: {path}: \"{value}\" is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
