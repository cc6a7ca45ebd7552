using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core.Data;
using GenSR.Core.Metrics;

namespace GenSR.Evaluation.Reports;

/// <summary>
/// A figure from a paper, shown in a report beside the measured rows and labelled as published with its source; never
/// rerun, never bolded as best.
/// </summary>
/// <param name="Dataset">The dataset the figures are for, as the loader names it (e.g. <c>Beauty</c> for
/// <c>Beauty.inter.json</c>); a report shows only the rows of its own dataset.</param>
/// <param name="System">The method as the paper names it, e.g. <c>TIGER</c>.</param>
/// <param name="Source">Where the numbers come from, e.g. <c>Rajput et al., NeurIPS 2023, Table 1</c>.</param>
/// <param name="Protocol">The protocol the paper used (it must match the report's for the row to appear).</param>
/// <param name="Task">The task.</param>
/// <param name="Metrics">Metric name (<c>Recall@10</c>, <c>NDCG@10</c>, ...) → value; metrics the paper does not give are absent.</param>
public sealed record PublishedResult(string Dataset, string System, string Source, EvaluationProtocol Protocol, TaskKind Task,
                                     IReadOnlyDictionary<string, double> Metrics)
{
    private const string FormatName = "gensr-published-results";

    /// <summary>Reads a published-results file: <c>{"format": "gensr-published-results", "version": 1, "results": [...]}</c>,
    /// each result <c>{"dataset", "system", "source", "protocol": "FullRanking"|"Sampled", "task": "Recommendation"|"Search", "metrics": {name: value}}</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The results in file order.</returns>
    /// <exception cref="InvalidDataException">The file is not such a file; the message names the file, the result and what was expected.</exception>
    public static IReadOnlyList<PublishedResult> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: the published-results file does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a published-results file (see <see cref="Load"/>).</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The results.</returns>
    /// <exception cref="InvalidDataException">The text is not a published-results file.</exception>
    public static IReadOnlyList<PublishedResult> Parse(string json, string source)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e); }
        if (node is not JsonObject root || root["format"]?.GetValueKind() != JsonValueKind.String || root["format"]!.GetValue<string>() != FormatName)
            throw new InvalidDataException($"{source}: expected a JSON object with \"format\": \"{FormatName}\".");
        if (root["version"] is not JsonValue v || !v.TryGetValue<int>(out var version) || version != 1)
            throw new InvalidDataException($"{source}: expected \"version\": 1.");
        if (root["results"] is not JsonArray results) throw new InvalidDataException($"{source}: \"results\" must be an array.");
        return results.Select((r, i) => FromJson(r, $"{source}, results[{i}]")).ToArray();
    }

    internal JsonObject ToJson()
    {
        var metrics = new JsonObject();
        foreach (var (name, value) in Metrics) metrics[name] = value;
        return new JsonObject
        {
            ["dataset"] = Dataset,
            ["system"] = System,
            ["source"] = Source,
            ["protocol"] = Protocol.ToString(),
            ["task"] = Task.ToString(),
            ["metrics"] = metrics,
        };
    }

    internal static PublishedResult FromJson(JsonNode? node, string at)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{at}: expected an object.");
        var dataset = Text(o, "dataset", at);
        var system = Text(o, "system", at);
        var source = Text(o, "source", at);
        var protocol = Choice<EvaluationProtocol>(o, "protocol", at);
        var task = Choice<TaskKind>(o, "task", at);
        if (o["metrics"] is not JsonObject m || m.Count == 0) throw new InvalidDataException($"{at}: \"metrics\" must be an object with at least one metric.");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in m)
        {
            if (!IsMetricName(name))
                throw new InvalidDataException($"{at}: \"{name}\" is not a metric name; expected Recall@K, NDCG@K or MRR@K.");
            if (value is not JsonValue number || !number.TryGetValue<double>(out var x) || !double.IsFinite(x) || x is < 0 or > 1)
                throw new InvalidDataException($"{at}: metric \"{name}\" must be a number in [0, 1].");
            metrics[name] = x;
        }
        return new PublishedResult(dataset, system, source, protocol, task, metrics);
    }

    // Recall@K, NDCG@K or MRR@K with K ≥ 1, as TaskMetrics.NameOf writes them.
    private static bool IsMetricName(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at > 0
               && name[..at] is "Recall" or "NDCG" or "MRR"
               && int.TryParse(name[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1;
    }

    private static string Text(JsonObject o, string name, string at) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new InvalidDataException($"{at}: \"{name}\" must be a non-empty string.");

    private static T Choice<T>(JsonObject o, string name, string at) where T : struct, Enum
    {
        var text = Text(o, name, at);
        return Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{at}: \"{name}\" is \"{text}\"; expected one of {string.Join(", ", Enum.GetNames<T>())}."));
    }
}
