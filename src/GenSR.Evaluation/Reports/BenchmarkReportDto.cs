using System.Text.Json.Serialization;
using GenSR.Core;

namespace GenSR.Evaluation;

// The shape of report.json (format "gensr-benchmark-report"), properties in the order they are written. Everything is
// nullable so that a missing field is reported by name after reading, not as a serializer error.

/// <summary>The whole file.</summary>
internal sealed record BenchmarkReportDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public string? Created { get; init; }
    public string? CommandLine { get; init; }
    public BenchmarkDatasetDto? Dataset { get; init; }
    public BenchmarkSplitDto? Split { get; init; }
    public string? Device { get; init; }
    public List<long?>? Seeds { get; init; }
    public List<int?>? Cutoffs { get; init; }
    public List<BenchmarkProtocolDto?>? Protocols { get; init; }
    public List<string?>? Notes { get; init; }
    public List<BenchmarkSystemDto?>? Systems { get; init; }

    // Absent in reports written before published rows existed; left out again when such a report is written back.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PublishedResultDto?>? Published { get; init; }
}

/// <summary>The dataset and its statistics.</summary>
internal sealed record BenchmarkDatasetDto
{
    public string? Name { get; init; }
    public int? Users { get; init; }
    public int? Items { get; init; }
    public int? Events { get; init; }
    public int? SearchEvents { get; init; }
    public double? AverageHistoryLength { get; init; }
    public int? ItemsWithEmptyTitle { get; init; }
    public string? Queries { get; init; }
}

/// <summary>How the data was split.</summary>
internal sealed record BenchmarkSplitDto
{
    public string? Description { get; init; }
    public int? ValidationCases { get; init; }
    public int? TestCases { get; init; }
}

/// <summary>One protocol and how it was applied.</summary>
internal sealed record BenchmarkProtocolDto
{
    public string? Protocol { get; init; }
    public string? Description { get; init; }
}

/// <summary>One compared system.</summary>
internal sealed record BenchmarkSystemDto
{
    public string? Name { get; init; }
    public List<string?>? Tasks { get; init; }
    public List<BenchmarkRunDto?>? Runs { get; init; }

    // Derived from the runs: written for readers, recomputed on load.
    public List<BenchmarkSummaryDto>? Summary { get; init; }
}

/// <summary>One run of a system.</summary>
internal sealed record BenchmarkRunDto
{
    public long? Seed { get; init; }
    public double? TrainingSeconds { get; init; }
    public double? EvaluationSeconds { get; init; }
    public BenchmarkTrainingDto? Training { get; init; }
    public List<EvaluationReportDto?>? Reports { get; init; }
}

/// <summary>What training did in one run.</summary>
internal sealed record BenchmarkTrainingDto
{
    public int? Epochs { get; init; }
    public int? SelectedEpoch { get; init; }
    public double? ValidationScore { get; init; }
    public string? ValidationMetric { get; init; }
    public bool? StoppedEarly { get; init; }
    public string? Note { get; init; }
}

/// <summary>The summary of one protocol and task over a system's runs.</summary>
internal sealed record BenchmarkSummaryDto
{
    public string? Protocol { get; init; }
    public string? Task { get; init; }
    public Dictionary<string, BenchmarkMetricSummaryDto>? Metrics { get; init; }
}

/// <summary>One metric's mean and deviation over the runs.</summary>
internal sealed record BenchmarkMetricSummaryDto
{
    public double Mean { get; init; }
    public double Std { get; init; }
    public int Runs { get; init; }
}

/// <summary>A published-results file (format "gensr-published-results").</summary>
internal sealed record PublishedResultsFileDto
{
    public string? Format { get; init; }
    public int? Version { get; init; }
    public List<PublishedResultDto?>? Results { get; init; }
}

/// <summary>One published result, in a published-results file or a benchmark report.</summary>
internal sealed record PublishedResultDto
{
    public string? Dataset { get; init; }
    public string? System { get; init; }
    public string? Source { get; init; }
    public string? Protocol { get; init; }
    public string? Task { get; init; }
    public Dictionary<string, double>? Metrics { get; init; }
}
