using GenSR.Core;

namespace GenSR.Evaluation.Tests.Reports;

public sealed class PublishedResultTests
{
    private const string File = """
        {"format": "gensr-published-results", "version": 1, "results": [
          {"dataset": "demo", "system": "TIGER", "source": "Paper A, Table 1", "protocol": "FullRanking", "task": "Recommendation",
           "metrics": {"Recall@10": 0.9999, "NDCG@10": 0.0384}},
          {"dataset": "Demo", "system": "Other", "source": "Paper B", "protocol": "Sampled", "task": "Recommendation", "metrics": {"NDCG@10": 0.5}}
        ]}
        """;

    [Fact]
    public void Published_rows_appear_labelled_beside_the_measured_ones_for_their_protocol_only_and_are_never_bold()
    {
        var report = Run(seed: 1);
        var markdown = report.ToMarkdown();

        Assert.Contains("| TIGER (published: Paper A, Table 1) | – | – | 0.9999 | 0.0384 | – | – | – |", markdown);
        Assert.DoesNotContain("Other (published", markdown); // a sampled figure has no table in a full-ranking report
        Assert.DoesNotContain("**0.9999**", markdown);
        Assert.Contains("not rerun here", markdown);
        // The measured row keeps its bold-free rendering: one measured row has nothing to beat.
        var tables = markdown.Split("## Full ranking")[1].Split("## Systems and training")[0];
        Assert.DoesNotContain("**", tables);

        var reloaded = BenchmarkReport.Parse(report.ToJsonString());
        Assert.Equal(markdown, reloaded.ToMarkdown());
        var merged = BenchmarkReport.Merge([report, Run(seed: 2)]);
        Assert.Equal(["TIGER", "Other"], merged.Published.Select(p => p.System));
    }

    [Fact]
    public void Rows_of_another_dataset_are_not_shown_and_a_note_says_so()
    {
        var beauty = PublishedResult.Load(Path.Combine(RepositoryFiles.Root, "docs", "results", "published", "amazon-beauty.json"));
        var runner = new BenchmarkRunner(new BenchmarkOptions
        {
            Device = TorchSharp.torch.CPU, Protocols = [EvaluationProtocol.FullRanking], Tasks = [TaskKind.Recommendation], Published = beauty,
        });

        var report = runner.Run(new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data"),
                                [new SystemDefinition("popularity", "", () => new PopularitySystem())]);

        Assert.Empty(report.Published);
        Assert.Contains("4 published row(s) for Beauty are not shown: this report is on demo.", report.Notes);
        Assert.DoesNotContain("(published:", report.ToMarkdown());
    }

    private static BenchmarkReport Run(long seed)
    {
        var runner = new BenchmarkRunner(new BenchmarkOptions
        {
            Device = TorchSharp.torch.CPU, Protocols = [EvaluationProtocol.FullRanking], Tasks = [TaskKind.Recommendation],
            Published = PublishedResult.Parse(File, "published.json"), Seeds = [seed],
        });
        return runner.Run(new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data"),
                          [new SystemDefinition("popularity", "", () => new PopularitySystem())]);
    }

    [Theory]
    [InlineData("""{"format": "x", "version": 1, "results": []}""", "published.json: expected a JSON object with \"format\": \"gensr-published-results\".")]
    [InlineData("""{"format": "gensr-published-results", "version": 2, "results": []}""", "published.json: expected \"version\": 1.")]
    [InlineData("""{"format": "gensr-published-results", "version": 1, "results": [{"dataset": "demo", "system": "T", "source": "S", "protocol": "Full", "task": "Recommendation", "metrics": {"NDCG@10": 0.1}}]}""",
                "published.json, results[0]: \"protocol\" is \"Full\"; expected one of FullRanking, Sampled.")]
    [InlineData("""{"format": "gensr-published-results", "version": 1, "results": [{"dataset": "demo", "system": "T", "source": "S", "protocol": "Sampled", "task": "Recommendation", "metrics": {"HR@10": 0.1}}]}""",
                "published.json, results[0]: \"HR@10\" is not a metric name; expected Recall@K, NDCG@K or MRR@K.")]
    [InlineData("""{"format": "gensr-published-results", "version": 1, "results": [{"dataset": "demo", "system": "T", "source": "S", "protocol": "Sampled", "task": "Recommendation", "metrics": {"NDCG@10": 3.84}}]}""",
                "published.json, results[0]: metric \"NDCG@10\" must be a number in [0, 1].")]
    [InlineData("""{"format": "gensr-published-results", "version": 1, "results": [{"dataset": "demo", "system": "", "source": "S", "protocol": "Sampled", "task": "Search", "metrics": {"NDCG@10": 0.1}}]}""",
                "published.json, results[0]: \"system\" must be a non-empty string.")]
    public void A_bad_file_is_refused_naming_the_file_the_result_and_what_was_expected(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => PublishedResult.Parse(json, "published.json"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_repositorys_published_file_for_amazon_beauty_loads()
    {
        var path = Path.Combine(RepositoryFiles.Root, "docs", "results", "published", "amazon-beauty.json");

        var rows = PublishedResult.Load(path);

        var tiger = Assert.Single(rows, r => r.System == "TIGER");
        Assert.Equal(0.0648, tiger.Metrics["Recall@10"]);
        Assert.All(rows, r => Assert.Equal((EvaluationProtocol.FullRanking, TaskKind.Recommendation), (r.Protocol, r.Task)));
    }
}
