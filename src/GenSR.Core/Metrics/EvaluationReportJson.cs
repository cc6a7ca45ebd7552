
namespace GenSR.Core;

/// <summary>The shape of an <see cref="EvaluationReport"/> file (format <c>gensr-evaluation-report</c>), property order as written.</summary>
internal sealed record EvaluationReportDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public string? Dataset { get; init; }
    public string? Protocol { get; init; }
    public string? ProtocolDetails { get; init; }
    public string? System { get; init; }
    public List<TaskMetricsDto?>? Tasks { get; init; }
    public List<string?>? Notes { get; init; }
    public Dictionary<string, string?>? Extra { get; init; }
}

/// <summary>One task's entry in <see cref="EvaluationReportDto.Tasks"/>.</summary>
internal sealed record TaskMetricsDto
{
    public string? Task { get; init; }
    public long? Cases { get; init; }
    public Dictionary<string, double>? Metrics { get; init; }
}

/// <summary>Converts between <see cref="EvaluationReport"/> and its file shape, validating what a file may get wrong.</summary>
internal static class EvaluationReportJson
{
    public const string FormatName = "gensr-evaluation-report";

    public static EvaluationReportDto ToDto(EvaluationReport report) => new()
    {
        Format = FormatName,
        Version = EvaluationReport.FormatVersion,
        Dataset = report.Dataset,
        Protocol = report.Protocol.ToString(),
        ProtocolDetails = report.ProtocolDetails,
        System = report.SystemName,
        Tasks = report.Tasks.Select(t => (TaskMetricsDto?)new TaskMetricsDto
        {
            Task = t.Task.ToString(),
            Cases = t.Cases,
            Metrics = t.Names.ToDictionary(name => name, name => t.Values[name], StringComparer.Ordinal),
        }).ToList(),
        Notes = report.Notes.ToList<string?>(),
        Extra = report.Extra.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal),
    };

    /// <summary>The report a file holds.</summary>
    /// <param name="dto">The deserialized file.</param>
    /// <param name="source">Where it came from (a file, or a file and the report's place in it), for messages.</param>
    /// <exception cref="InvalidDataException">Another format, another version, or a missing or invalid field.</exception>
    public static EvaluationReport FromDto(EvaluationReportDto? dto, string source)
    {
        if (dto is null) throw new InvalidDataException($"{source}: expected a JSON object.");
        CheckHeader(dto.Format, dto.Version, source);
        try
        {
            var protocolText = Required(dto.Protocol, "protocol", source);
            if (!Enum.TryParse<EvaluationProtocol>(protocolText, ignoreCase: false, out var protocol) || !Enum.IsDefined(protocol))
                throw new InvalidDataException($"{source}: \"protocol\" must be FullRanking or Sampled, got \"{protocolText}\".");

            var tasksDto = dto.Tasks ?? throw new InvalidDataException($"{source}: \"tasks\" must be an array.");
            var tasks = new List<TaskMetrics>(tasksDto.Count);
            for (var i = 0; i < tasksDto.Count; i++)
            {
                var where = $"{source}, tasks[{i}]";
                var t = tasksDto[i] ?? throw new InvalidDataException($"{where}: expected an object.");
                var taskText = Required(t.Task, "task", where);
                if (!Enum.TryParse<TaskKind>(taskText, ignoreCase: false, out var task) || !Enum.IsDefined(task))
                    throw new InvalidDataException($"{where}: \"task\" must be Recommendation or Search, got \"{taskText}\".");
                var cases = t.Cases ?? throw new InvalidDataException($"{where}: \"cases\" must be an integer.");
                var metrics = t.Metrics ?? throw new InvalidDataException($"{where}: \"metrics\" must be an object.");
                tasks.Add(new TaskMetrics(task, cases, metrics));
            }

            var notes = (dto.Notes ?? [])
                .Select((n, i) => n ?? throw new InvalidDataException($"{source}: notes[{i}] must be a string."))
                .ToArray();
            var extra = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in dto.Extra ?? [])
                extra[key] = value ?? throw new InvalidDataException($"{source}: extra \"{key}\" must be a string.");

            return new EvaluationReport
            {
                Dataset = Required(dto.Dataset, "dataset", source),
                Protocol = protocol,
                SystemName = Required(dto.System, "system", source),
                ProtocolDetails = dto.ProtocolDetails,
                Tasks = tasks,
                Notes = notes,
                Extra = extra,
            };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Rejects another format or a version this library does not read, before anything else is looked at.</summary>
    public static void CheckHeader(string? format, int? version, string source)
    {
        if (format != FormatName) throw new InvalidDataException($"{source}: expected \"format\": \"{FormatName}\".");
        if (version != EvaluationReport.FormatVersion)
            throw new InvalidDataException($"{source}: version {version ?? -1} is not supported (expected {EvaluationReport.FormatVersion}).");
    }

    private static string Required(string? value, string name, string source) =>
        value ?? throw new InvalidDataException($"{source}: \"{name}\" is missing.");
}
