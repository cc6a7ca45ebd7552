using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenSR.Core;

/// <summary>
/// The result of evaluating one system on one dataset under one protocol: per-task metrics plus notes (e.g. whether
/// history items were excluded from the ranking). Renders as a Markdown table that always states dataset and protocol,
/// and round-trips through versioned JSON.
/// </summary>
public sealed class EvaluationReport
{
    /// <summary>Version of the JSON format written by <see cref="ToJson"/>.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "gensr-evaluation-report";

    /// <summary>Name of the evaluated dataset (non-empty).</summary>
    public required string Dataset { get; init => field = RequireText(value, nameof(Dataset)); }

    /// <summary>Which candidates targets were ranked against.</summary>
    public required EvaluationProtocol Protocol
    {
        get;
        init => field = OptionGuard.Defined(value, nameof(Protocol), nameof(EvaluationReport));
    }

    /// <summary>Name of the evaluated system (non-empty), e.g. <c>GenSR (constrained beam search)</c> or <c>Popularity</c>.</summary>
    public required string SystemName { get; init => field = RequireText(value, nameof(SystemName)); }

    /// <summary>Details of the protocol, e.g. <see cref="SampledCandidates.Describe"/>; <c>null</c> when there is nothing to add.</summary>
    public string? ProtocolDetails { get; init; }

    /// <summary>Per-task metrics, one entry per task (no task twice).</summary>
    public IReadOnlyList<TaskMetrics> Tasks
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Tasks));
            var duplicate = value.GroupBy(t => t.Task).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new ArgumentException($"Task {duplicate.Key} appears {duplicate.Count()} times.", nameof(Tasks));
            field = value.ToArray();
        }
    } = [];

    /// <summary>Free-text notes that a reader needs to interpret the numbers, e.g. <c>history items excluded from ranking: yes</c>.</summary>
    public IReadOnlyList<string> Notes { get; init => field = (value ?? throw new ArgumentNullException(nameof(Notes))).ToArray(); } = [];

    /// <summary>Extra key/values (e.g. invalid-identifier rate, beam size, checkpoint), shown under the table.</summary>
    public IReadOnlyDictionary<string, string> Extra
    {
        get;
        init => field = new Dictionary<string, string>(value ?? throw new ArgumentNullException(nameof(Extra)), StringComparer.Ordinal);
    } = new Dictionary<string, string>();

    /// <summary>The protocol in words: <c>full ranking over the catalogue</c> or <c>sampled candidates</c>.</summary>
    public static string DescribeProtocol(EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.FullRanking => "full ranking over the catalogue",
        EvaluationProtocol.Sampled => "sampled candidates",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Expected FullRanking or Sampled."),
    };

    /// <summary>The metrics of <paramref name="task"/>.</summary>
    /// <exception cref="KeyNotFoundException">The report has no such task.</exception>
    public TaskMetrics this[TaskKind task] =>
        Tasks.FirstOrDefault(t => t.Task == task) ?? throw new KeyNotFoundException($"The report has no metrics for task {task}.");

    /// <summary>
    /// A Markdown rendering (readable on a console as well): a header line with system, dataset and protocol, a table
    /// with one row per task and one column per metric (4 decimals), then notes and extra key/values.
    /// </summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var protocol = DescribeProtocol(Protocol);
        if (!string.IsNullOrWhiteSpace(ProtocolDetails)) protocol += $" ({ProtocolDetails})";
        sb.Append("**").Append(SystemName).Append("** · dataset: ").Append(Dataset).Append(" · protocol: ").Append(protocol).AppendLine();
        sb.AppendLine();
        var columns = Tasks.SelectMany(t => t.Names).Distinct().ToArray();
        if (Tasks.Count == 0)
        {
            sb.AppendLine("(no cases evaluated)");
        }
        else
        {
            sb.Append("| Task | Cases |");
            foreach (var c in columns) sb.Append(' ').Append(c).Append(" |");
            sb.AppendLine();
            sb.Append("|---|---:|");
            foreach (var _ in columns) sb.Append("---:|");
            sb.AppendLine();
            foreach (var t in Tasks)
            {
                sb.Append("| ").Append(t.Task).Append(" | ").Append(t.Cases.ToString(CultureInfo.InvariantCulture)).Append(" |");
                foreach (var c in columns)
                    sb.Append(' ').Append(t.Values.TryGetValue(c, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "–").Append(" |");
                sb.AppendLine();
            }
        }
        if (Notes.Count > 0 || Extra.Count > 0)
        {
            sb.AppendLine();
            foreach (var note in Notes) sb.Append("- ").AppendLine(note);
            foreach (var (key, value) in Extra) sb.Append("- ").Append(key).Append(": ").AppendLine(value);
        }
        return sb.ToString();
    }

    /// <inheritdoc cref="ToMarkdown"/>
    public override string ToString() => ToMarkdown();

    /// <summary>The report as a versioned JSON object (for embedding in a larger document).</summary>
    public JsonObject ToJson() =>
        JsonSerializer.SerializeToNode(EvaluationReportJson.ToDto(this), CoreJsonContext.Default.EvaluationReportDto)!.AsObject();

    /// <summary>The report as indented JSON text.</summary>
    public string ToJsonString() => TypedJson.Write(EvaluationReportJson.ToDto(this), CoreJsonContext.Default.EvaluationReportDto);

    /// <summary>Writes the report as JSON to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, ToJsonString());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a report of a supported version; the message names the file and the problem.</exception>
    public static EvaluationReport Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses JSON text written by <see cref="ToJsonString"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for error messages.</param>
    /// <exception cref="InvalidDataException">The text is not a report of a supported version; the message names the problem.</exception>
    public static EvaluationReport Parse(string json, string source = "evaluation report")
    {
        ArgumentNullException.ThrowIfNull(json);
        var utf8 = TypedJson.Utf8(json);
        // Format and version first: a file of another kind or a newer version is named as such, not by its first odd field.
        var header = TypedJson.ReadHeader(utf8, source);
        EvaluationReportJson.CheckHeader(header.FormatName, header.VersionNumber, source);
        return EvaluationReportJson.FromDto(TypedJson.Deserialize(utf8, CoreJsonContext.Default.EvaluationReportDto, source), source);
    }

    /// <summary>Reads a report from a JSON node written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The node is not a report of a supported version; the message names the problem.</exception>
    public static EvaluationReport FromJson(JsonNode? node, string source = "evaluation report")
    {
        var header = TypedJson.Deserialize(node, CoreJsonContext.Default.JsonFileHeader, source);
        EvaluationReportJson.CheckHeader(header.FormatName, header.VersionNumber, source);
        return EvaluationReportJson.FromDto(TypedJson.Deserialize(node, CoreJsonContext.Default.EvaluationReportDto, source), source);
    }

    private static string RequireText(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} must not be empty.", name) : value;
}
