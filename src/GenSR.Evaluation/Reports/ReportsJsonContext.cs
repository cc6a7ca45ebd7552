using System.Text.Json.Serialization;

namespace GenSR.Evaluation;

/// <summary>Generated serialization metadata for the benchmark report and published-results files, so reading and writing them needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    // A field given twice is a broken file, not something to settle by keeping the last value.
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(BenchmarkReportDto))]
[JsonSerializable(typeof(PublishedResultsFileDto))]
internal sealed partial class ReportsJsonContext : JsonSerializerContext;
