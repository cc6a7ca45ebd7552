
namespace GenSR.Core.Tests.Metrics;

public class EvaluationReportTests
{
    private static EvaluationReport Sample()
    {
        var accumulator = new MetricsAccumulator();
        accumulator.Add(TaskKind.Recommendation, [1, 3, 11, 0]);
        accumulator.Add(TaskKind.Search, [2, 2]);
        return new EvaluationReport
        {
            Dataset = "Amazon Instruments",
            Protocol = EvaluationProtocol.Sampled,
            SystemName = "GenSR (pointwise)",
            ProtocolDetails = "1 positive + 99 negatives (seed 7)",
            Tasks = accumulator.ComputeAll(),
            Notes = ["history items excluded from ranking: yes"],
            Extra = new Dictionary<string, string> { ["invalid identifiers"] = "0.0%" },
        };
    }

    [Fact]
    public void The_table_states_system_dataset_and_protocol_and_lists_every_task()
    {
        var text = Sample().ToMarkdown();
        Assert.Contains("GenSR (pointwise)", text);
        Assert.Contains("dataset: Amazon Instruments", text);
        Assert.Contains("protocol: sampled candidates (1 positive + 99 negatives (seed 7))", text);
        Assert.Contains("| Task | Cases | Recall@5 | NDCG@5 | MRR@5 |", text);
        Assert.Contains("| Recommendation | 4 | 0.5000 |", text);
        Assert.Contains("| Search | 2 | 1.0000 | 0.6309 |", text);
        Assert.Contains("- history items excluded from ranking: yes", text);
        Assert.Contains("- invalid identifiers: 0.0%", text);

        var full = new EvaluationReport { Dataset = "demo", Protocol = EvaluationProtocol.FullRanking, SystemName = "Popularity" };
        Assert.Contains("protocol: full ranking over the catalogue", full.ToString());
    }

    [Fact]
    public void Json_round_trips_every_field()
    {
        var report = Sample();
        var path = Path.Combine(Path.GetTempPath(), $"gensr-report-{Guid.NewGuid():N}.json");
        try
        {
            report.Save(path);
            var loaded = EvaluationReport.Load(path);
            Assert.Equal(report.Dataset, loaded.Dataset);
            Assert.Equal(report.Protocol, loaded.Protocol);
            Assert.Equal(report.SystemName, loaded.SystemName);
            Assert.Equal(report.ProtocolDetails, loaded.ProtocolDetails);
            Assert.Equal(report.Notes, loaded.Notes);
            Assert.Equal(report.Extra, loaded.Extra);
            Assert.Equal(report.Tasks.Count, loaded.Tasks.Count);
            foreach (var task in report.Tasks)
            {
                Assert.Equal(task.Cases, loaded[task.Task].Cases);
                Assert.Equal(task.Names, loaded[task.Task].Names);
                Assert.Equal(task.Values, loaded[task.Task].Values);
            }
            Assert.Equal(report.ToMarkdown(), loaded.ToMarkdown());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":99}", "version 99")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"protocol\":\"FullRanking\",\"system\":\"x\",\"tasks\":[]}", "\"dataset\" is missing")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Leaky\",\"system\":\"x\",\"tasks\":[]}", "\"protocol\" must be")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Sampled\",\"system\":\"x\",\"tasks\":[{\"task\":\"Search\",\"cases\":3,\"metrics\":{\"Recall@5\":1.5}}]}", "outside [0, 1]")]
    public void Malformed_json_fails_with_the_source_and_the_problem(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => EvaluationReport.Parse(json, "run-7.json"));
        Assert.StartsWith("run-7.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Sampled\",\"system\":\"x\",\"tasks\":[{\"task\":\"Search\",\"cases\":\"3\",\"metrics\":{}}]}",
                "run-7.json: tasks[0].cases: expected an integer.")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Sampled\",\"system\":\"x\",\"tasks\":[{\"task\":\"Search\",\"cases\":3,\"metrics\":{\"NDCG@5\":\"high\"}}]}",
                "run-7.json: tasks[0].metrics.NDCG@5: expected a number.")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Sampled\",\"system\":\"x\",\"tasks\":{}}",
                "run-7.json: tasks: expected an array.")]
    [InlineData("{\"format\":\"gensr-evaluation-report\",\"version\":2,\"dataset\":7,\"tasks\":{}}",
                "run-7.json: version 2 is not supported (expected 1).")]
    public void A_field_of_the_wrong_type_is_named_by_its_path_after_the_format_and_version(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => EvaluationReport.Parse(json, "run-7.json"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_metric_given_twice_is_refused()
    {
        const string json = "{\"format\":\"gensr-evaluation-report\",\"version\":1,\"dataset\":\"d\",\"protocol\":\"Sampled\",\"system\":\"x\",\"tasks\":[{\"task\":\"Search\",\"cases\":3,\"metrics\":{\"NDCG@5\":0.1,\"NDCG@5\":0.2}}]}";

        var e = Assert.Throws<InvalidDataException>(() => EvaluationReport.Parse(json, "run-7.json"));
        Assert.StartsWith("run-7.json: tasks[0].metrics", e.Message);
    }

    [Fact]
    public void The_json_object_and_the_text_hold_the_same_document_and_the_object_reads_back()
    {
        var report = Sample();

        var node = report.ToJson();

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(report.ToJsonString()), node));
        Assert.Equal(["format", "version", "dataset", "protocol", "protocolDetails", "system", "tasks", "notes", "extra"], node.Select(p => p.Key));
        Assert.Equal(report.ToJsonString(), EvaluationReport.FromJson(node, "node").ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => EvaluationReport.FromJson(new System.Text.Json.Nodes.JsonArray(), "node"));
        Assert.Equal("node: expected a JSON object.", e.Message);
    }

    [Fact]
    public void Required_text_and_unique_tasks_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new EvaluationReport { Dataset = " ", Protocol = EvaluationProtocol.FullRanking, SystemName = "x" });
        var metrics = Sample().Tasks[0];
        Assert.Throws<ArgumentException>(() => new EvaluationReport
        {
            Dataset = "d", Protocol = EvaluationProtocol.FullRanking, SystemName = "x", Tasks = [metrics, metrics],
        });
    }
}
