using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation;

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

    /// <summary>Reads a published-results file: <c>{"format": "gensr-published-results", "version": 1, "results": [...]}</c>, each result
    /// <c>{"dataset", "system", "source", "protocol": "FullRanking"|"Sampled", "task": "Recommendation"|"Search", "metrics": {name: value}}</c>.</summary>
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
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = TypedJson.Utf8(json);
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        var header = TypedJson.ReadHeader(utf8, source);
        if (header.FormatName != FormatName)
            throw new InvalidDataException($"{source}: expected a JSON object with \"format\": \"{FormatName}\".");
        if (header.VersionNumber != 1) throw new InvalidDataException($"{source}: expected \"version\": 1.");
        var file = TypedJson.Deserialize(utf8, ReportsJsonContext.Default.PublishedResultsFileDto, source);
        if (file.Results is not { } results) throw new InvalidDataException($"{source}: \"results\" must be an array.");
        return results.Select((r, i) => FromDto(r, $"{source}, results[{i}]")).ToArray();
    }

    // The file form of Load's input, so a file read and written again can be compared with the original.
    internal static string Write(IEnumerable<PublishedResult> results) => TypedJson.Write(new PublishedResultsFileDto
    {
        Format = FormatName,
        Version = 1,
        Results = results.Select(r => (PublishedResultDto?)r.ToDto()).ToList(),
    }, ReportsJsonContext.Default.PublishedResultsFileDto, relaxedEscaping: true);

    internal PublishedResultDto ToDto() => new()
    {
        Dataset = Dataset,
        System = System,
        Source = Source,
        Protocol = Protocol.ToString(),
        Task = Task.ToString(),
        Metrics = new Dictionary<string, double>(Metrics, StringComparer.Ordinal),
    };

    internal static PublishedResult FromDto(PublishedResultDto? o, string at)
    {
        if (o is null) throw new InvalidDataException($"{at}: expected an object.");
        var dataset = Text(o.Dataset, "dataset", at);
        var system = Text(o.System, "system", at);
        var source = Text(o.Source, "source", at);
        var protocol = Choice<EvaluationProtocol>(o.Protocol, "protocol", at);
        var task = Choice<TaskKind>(o.Task, "task", at);
        if (o.Metrics is not { Count: > 0 } m) throw new InvalidDataException($"{at}: \"metrics\" must be an object with at least one metric.");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, x) in m)
        {
            if (!IsMetricName(name))
                throw new InvalidDataException($"{at}: \"{name}\" is not a metric name; expected Recall@K, NDCG@K or MRR@K.");
            if (!double.IsFinite(x) || x is < 0 or > 1)
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

    private static string Text(string? value, string name, string at) =>
        !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidDataException($"{at}: \"{name}\" must be a non-empty string.");

    private static T Choice<T>(string? value, string name, string at) where T : struct, Enum
    {
        var text = Text(value, name, at);
        return Enum.TryParse<T>(text, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{at}: \"{name}\" is \"{text}\"; expected one of {string.Join(", ", Enum.GetNames<T>())}."));
    }
}
