using System.Text.Json.Nodes;
using GenSR.Core;

namespace GenSR.Evaluation.Tests.Reports;

/// <summary>Every report and published-results file in the repository loads, and writing it again gives the same JSON document.</summary>
public sealed class CommittedReportsTests
{
    public static TheoryData<string> Reports() => Files("report.json");

    public static TheoryData<string> PublishedFiles() => Files(Path.Combine("published", "*.json"));

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_committed_benchmark_report_loads_and_saves_to_the_same_document(string relativePath)
    {
        var path = Path.Combine(RepositoryFiles.Root, relativePath);
        var original = JsonNode.Parse(File.ReadAllText(path));

        var written = JsonNode.Parse(BenchmarkReport.Load(path).ToJsonString());

        AssertSameDocument(original, written, relativePath);
    }

    [Fact]
    public void A_report_written_before_the_ranking_methods_were_renamed_still_names_its_methods()
    {
        // The file stores "CatalogueScores" and "CatalogueScoresAtCandidates"; the enum members are now spelt "Catalog…".
        var path = Path.Combine(RepositoryFiles.Root, "docs", "results", "category-popularity-demo", "report.json");
        Assert.Contains("\"CatalogueScoresAtCandidates\"", File.ReadAllText(path));

        var markdown = BenchmarkReport.Load(path).ToMarkdown();

        Assert.Contains("| Popularity | Recommendation, Search | full: catalogue scores; sampled: catalogue scores at the candidates |", markdown);
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void Each_evaluation_report_inside_a_committed_report_reads_and_writes_back_the_same(string relativePath)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, relativePath)))!;
        var reports = root["systems"]!.AsArray().SelectMany(s => s!["runs"]!.AsArray()).SelectMany(r => r!["reports"]!.AsArray()).ToList();

        Assert.NotEmpty(reports);
        foreach (var node in reports)
        {
            var report = EvaluationReport.FromJson(node, relativePath);
            AssertSameDocument(node, report.ToJson(), relativePath);
            AssertSameDocument(node, JsonNode.Parse(report.ToJsonString()), relativePath);
        }
    }

    [Theory]
    [MemberData(nameof(PublishedFiles))]
    public void A_committed_published_results_file_loads_and_writes_to_the_same_document(string relativePath)
    {
        var path = Path.Combine(RepositoryFiles.Root, relativePath);

        var written = JsonNode.Parse(PublishedResult.Write(PublishedResult.Load(path)));

        AssertSameDocument(JsonNode.Parse(File.ReadAllText(path)), written, relativePath);
    }

    private static void AssertSameDocument(JsonNode? expected, JsonNode? actual, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{what}: the document written differs from the one read.");

    private static TheoryData<string> Files(string pattern)
    {
        var results = Path.Combine(RepositoryFiles.Root, "docs", "results");
        var folder = Path.Combine(results, Path.GetDirectoryName(pattern) ?? "");
        var files = Directory.GetFiles(folder, Path.GetFileName(pattern), SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(files);
        return new TheoryData<string>(files);
    }
}
