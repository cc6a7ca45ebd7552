using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core.Data;
using GenSR.Core.Metrics;
using GenSR.Evaluation.Harness;

namespace GenSR.Evaluation.Reports;

/// <summary>The JSON form of <see cref="BenchmarkReport"/>; each run's test reports use <see cref="EvaluationReport"/>'s own format.</summary>
internal static class BenchmarkReportJson
{
    private const string FormatName = "gensr-benchmark-report";

    public static JsonObject Write(BenchmarkReport report)
    {
        var s = report.Statistics;
        var systems = new JsonArray();
        foreach (var system in report.Systems)
        {
            var runs = new JsonArray();
            foreach (var run in system.Runs)
            {
                runs.Add(new JsonObject
                {
                    ["seed"] = run.Seed,
                    ["trainingSeconds"] = Math.Round(run.TrainingSeconds, 3),
                    ["evaluationSeconds"] = Math.Round(run.EvaluationSeconds, 3),
                    ["training"] = new JsonObject
                    {
                        ["epochs"] = run.Training.Epochs,
                        ["selectedEpoch"] = run.Training.SelectedEpoch,
                        ["validationScore"] = run.Training.ValidationScore,
                        ["validationMetric"] = run.Training.ValidationMetric,
                        ["stoppedEarly"] = run.Training.StoppedEarly,
                        ["note"] = run.Training.Note,
                    },
                    ["reports"] = new JsonArray(run.Reports.Select(r => (JsonNode)r.ToJson()).ToArray()),
                });
            }
            // The summary is derived from the runs; it is written for readers and recomputed on load.
            var summary = new JsonArray();
            foreach (var protocol in system.Protocols)
                foreach (var task in system.Tasks)
                {
                    var metrics = new JsonObject();
                    foreach (var name in MetricNames(report.Cutoffs))
                        if (system.Summarize(protocol, task, name) is { } m)
                            metrics[name] = new JsonObject { ["mean"] = m.Mean, ["std"] = m.StandardDeviation, ["runs"] = m.Runs };
                    if (metrics.Count > 0)
                        summary.Add(new JsonObject { ["protocol"] = protocol.ToString(), ["task"] = task.ToString(), ["metrics"] = metrics });
                }
            systems.Add(new JsonObject
            {
                ["name"] = system.Name,
                ["tasks"] = new JsonArray(system.Tasks.Select(t => (JsonNode?)JsonValue.Create(t.ToString())).ToArray()),
                ["runs"] = runs,
                ["summary"] = summary,
            });
        }
        return new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = BenchmarkReport.FormatVersion,
            ["created"] = report.Created.ToString("O", CultureInfo.InvariantCulture),
            ["commandLine"] = report.CommandLine,
            ["dataset"] = new JsonObject
            {
                ["name"] = report.Dataset,
                ["users"] = s.Users,
                ["items"] = s.Items,
                ["events"] = s.Events,
                ["searchEvents"] = s.SearchEvents,
                ["averageHistoryLength"] = s.AverageHistoryLength,
                ["itemsWithEmptyTitle"] = s.ItemsWithEmptyTitle,
                ["queries"] = report.Queries,
            },
            ["split"] = new JsonObject
            {
                ["description"] = report.Split,
                ["validationCases"] = report.ValidationCases,
                ["testCases"] = report.TestCases,
            },
            ["device"] = report.Device,
            ["seeds"] = new JsonArray(report.Seeds.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["cutoffs"] = new JsonArray(report.Cutoffs.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["protocols"] = new JsonArray(report.Protocols.Select(p => (JsonNode)new JsonObject
            {
                ["protocol"] = p.Key.ToString(),
                ["description"] = p.Value,
            }).ToArray()),
            ["notes"] = new JsonArray(report.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["systems"] = systems,
            ["published"] = new JsonArray(report.Published.Select(p => (JsonNode)p.ToJson()).ToArray()),
        };
    }

    public static BenchmarkReport Read(string json, string source)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e); }
        if (node is not JsonObject root) throw new InvalidDataException($"{source}: expected a JSON object.");
        if (root["format"] is not JsonValue f || !f.TryGetValue<string>(out var format) || format != FormatName)
            throw new InvalidDataException($"{source}: expected \"format\": \"{FormatName}\".");
        var version = Int(root, "version", source);
        if (version != BenchmarkReport.FormatVersion)
            throw new InvalidDataException($"{source}: version {version} is not supported (expected {BenchmarkReport.FormatVersion}).");

        var dataset = Object(root, "dataset", source);
        var where = $"{source}, dataset";
        var statistics = new DatasetStatistics(Int(dataset, "users", where), Int(dataset, "items", where), Int(dataset, "events", where),
                                               Int(dataset, "searchEvents", where), Double(dataset, "averageHistoryLength", where),
                                               Int(dataset, "itemsWithEmptyTitle", where));
        var split = Object(root, "split", source);
        var protocols = Array(root, "protocols", source).Select((p, i) =>
        {
            var at = $"{source}, protocols[{i}]";
            var o = p as JsonObject ?? throw new InvalidDataException($"{at}: expected an object.");
            return new KeyValuePair<EvaluationProtocol, string>(Enum<EvaluationProtocol>(o, "protocol", at), String(o, "description", at));
        }).ToArray();

        var systems = Array(root, "systems", source).Select((node, i) =>
        {
            var at = $"{source}, systems[{i}]";
            var o = node as JsonObject ?? throw new InvalidDataException($"{at}: expected an object.");
            var tasks = Array(o, "tasks", at).Select((t, j) => ParseEnum<TaskKind>(t, $"{at}, tasks[{j}]")).ToArray();
            var runs = Array(o, "runs", at).Select((r, j) =>
            {
                var runAt = $"{at}, runs[{j}]";
                var run = r as JsonObject ?? throw new InvalidDataException($"{runAt}: expected an object.");
                var training = Object(run, "training", runAt);
                var trainingAt = $"{runAt}, training";
                var result = new SystemTrainingResult(
                    Int(training, "epochs", trainingAt), Int(training, "selectedEpoch", trainingAt),
                    OptionalDouble(training, "validationScore", trainingAt), OptionalString(training, "validationMetric", trainingAt),
                    Bool(training, "stoppedEarly", trainingAt)) { Note = OptionalString(training, "note", trainingAt) };
                var reports = Array(run, "reports", runAt).Select((e, k) => EvaluationReport.FromJson(e, $"{runAt}, reports[{k}]")).ToArray();
                return new SystemRun(Long(run, "seed", runAt), result, Double(run, "trainingSeconds", runAt), Double(run, "evaluationSeconds", runAt), reports);
            }).ToArray();
            return new SystemResult(String(o, "name", at), tasks, runs);
        }).ToArray();

        var created = String(root, "created", source);
        return new BenchmarkReport
        {
            Dataset = String(dataset, "name", where),
            Statistics = statistics,
            Queries = String(dataset, "queries", where),
            Split = String(split, "description", $"{source}, split"),
            ValidationCases = Int(split, "validationCases", $"{source}, split"),
            TestCases = Int(split, "testCases", $"{source}, split"),
            Device = String(root, "device", source),
            Seeds = Array(root, "seeds", source).Select((x, i) => Value<long>(x, $"{source}, seeds[{i}]", "an integer")).ToArray(),
            Cutoffs = Array(root, "cutoffs", source).Select((x, i) => Value<int>(x, $"{source}, cutoffs[{i}]", "an integer")).ToArray(),
            Protocols = protocols,
            Systems = systems,
            CommandLine = OptionalString(root, "commandLine", source),
            Notes = Array(root, "notes", source).Select((x, i) => Value<string>(x, $"{source}, notes[{i}]", "a string")).ToArray(),
            // Optional: reports written before published rows existed have none.
            Published = root["published"] is null
                ? []
                : Array(root, "published", source).Select((p, i) => PublishedResult.FromJson(p, $"{source}, published[{i}]")).ToArray(),
            Created = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var c)
                ? c
                : throw new InvalidDataException($"{source}: \"created\" must be an ISO 8601 time, got \"{created}\"."),
        };
    }

    /// <summary>The metric names of the cutoffs in display order: Recall@K, NDCG@K, MRR@K per K.</summary>
    public static IEnumerable<string> MetricNames(IEnumerable<int> cutoffs) =>
        cutoffs.SelectMany(k => new[] { RankingMetric.Recall, RankingMetric.Ndcg, RankingMetric.Mrr }.Select(m => TaskMetrics.NameOf(m, k)));

    private static JsonObject Object(JsonObject o, string name, string at) =>
        o[name] as JsonObject ?? throw new InvalidDataException($"{at}: \"{name}\" must be an object.");

    private static JsonArray Array(JsonObject o, string name, string at) =>
        o[name] as JsonArray ?? throw new InvalidDataException($"{at}: \"{name}\" must be an array.");

    private static T Value<T>(JsonNode? node, string at, string what) =>
        node is JsonValue v && v.TryGetValue<T>(out var value) ? value : throw new InvalidDataException($"{at}: expected {what}.");

    private static string String(JsonObject o, string name, string at) => Value<string>(o[name], $"{at}, \"{name}\"", "a string");

    private static string? OptionalString(JsonObject o, string name, string at) => o[name] is null ? null : String(o, name, at);

    private static int Int(JsonObject o, string name, string at) => Value<int>(o[name], $"{at}, \"{name}\"", "an integer");

    private static long Long(JsonObject o, string name, string at) => Value<long>(o[name], $"{at}, \"{name}\"", "an integer");

    private static double Double(JsonObject o, string name, string at) => Value<double>(o[name], $"{at}, \"{name}\"", "a number");

    private static double? OptionalDouble(JsonObject o, string name, string at) => o[name] is null ? null : Double(o, name, at);

    private static bool Bool(JsonObject o, string name, string at) => Value<bool>(o[name], $"{at}, \"{name}\"", "true or false");

    private static T Enum<T>(JsonObject o, string name, string at) where T : struct, System.Enum => ParseEnum<T>(o[name], $"{at}, \"{name}\"");

    private static T ParseEnum<T>(JsonNode? node, string at) where T : struct, System.Enum
    {
        var text = Value<string>(node, at, "a string");
        return System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"{at}: \"{text}\" is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
    }
}
