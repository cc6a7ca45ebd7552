using GenSR.Core;

namespace GenSR.Evaluation.Tests.Reports;

public sealed class BenchmarkReportTests
{
    private static readonly Lazy<BenchmarkReport> TwoSeeds = new(() =>
    {
        var data = new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data");
        var runner = new BenchmarkRunner(new BenchmarkOptions { Seeds = [1, 2], Device = TorchSharp.torch.CPU });
        return runner.Run(data, [
            new SystemDefinition("popularity", "most popular", () => new PopularitySystem()),
            new SystemDefinition("bm25", "lexical", () => new Bm25System()),
        ], "GenSR.Evaluation --demo");
    });

    [Fact]
    public void A_run_holds_every_system_seed_protocol_and_task_it_serves()
    {
        var report = TwoSeeds.Value;

        Assert.Equal(["Popularity", "BM25"], report.Systems.Select(s => s.Name));
        Assert.All(report.Systems, s => Assert.Equal([1L, 2L], s.Runs.Select(r => r.Seed)));
        Assert.All(report.Systems.SelectMany(s => s.Runs), r =>
            Assert.Equal([EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled], r.Reports.Select(x => x.Protocol)));
        Assert.Equal([TaskKind.Search], report.Systems[1].Tasks);
        Assert.Equal(TestDatasets.SmallDemo.Test.Count, report.TestCases);
        Assert.Equal("cpu", report.Device);
    }

    [Fact]
    public void Asking_for_recommendation_only_ranks_no_search_case_and_leaves_out_a_search_only_system_with_a_note()
    {
        var data = new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data");
        var runner = new BenchmarkRunner(new BenchmarkOptions
        {
            Device = TorchSharp.torch.CPU, Protocols = [EvaluationProtocol.FullRanking], Tasks = [TaskKind.Recommendation],
        });

        var report = runner.Run(data, [
            new SystemDefinition("popularity", "most popular", () => new PopularitySystem()),
            new SystemDefinition("bm25", "lexical", () => new Bm25System()),
        ]);

        var popularity = Assert.Single(report.Systems);
        Assert.Equal("Popularity", popularity.Name);
        Assert.Equal([TaskKind.Recommendation], popularity.Tasks);
        var test = Assert.Single(Assert.Single(popularity.Runs).Reports);
        Assert.Equal([TaskKind.Recommendation], test.Tasks.Select(t => t.Task));
        Assert.Contains(report.Notes, n => n.StartsWith("BM25 is left out: it serves Search", StringComparison.Ordinal));
        Assert.DoesNotContain("### Search", BenchmarkReportMarkdown.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void The_components_of_a_trained_system_are_ranked_as_rows_of_their_own_after_it_for_every_seed()
    {
        var data = new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data");
        var runner = new BenchmarkRunner(new BenchmarkOptions { Seeds = [1, 2], Device = TorchSharp.torch.CPU, Protocols = [EvaluationProtocol.FullRanking] });
        var created = new List<CompositeSystem>();
        var report = runner.Run(data, [
            new SystemDefinition("composite", "two parts", () => { var s = new CompositeSystem(data.Dataset.Catalog.Count); created.Add(s); return s; }),
            new SystemDefinition("popularity", "most popular", () => new PopularitySystem()),
        ]);

        Assert.Equal(["Composite", "Composite: first item", "Composite: last item", "Popularity"], report.Systems.Select(s => s.Name));
        Assert.All(report.Systems.Take(3), s => Assert.Equal([1L, 2L], s.Runs.Select(r => r.Seed)));
        Assert.All(created.SelectMany(c => c.Parts), part => Assert.True(part.Disposed));
        var first = report.Systems[1].Runs[0];
        Assert.Equal(0, first.TrainingSeconds);
        Assert.StartsWith("a part of Composite, ranked from the same trained weights; trained once", first.Training.Note, StringComparison.Ordinal);
        // The parts rank differently, so each row holds its own metrics.
        double Ndcg(int system) => report.Systems[system].Runs[0].Reports[0].Tasks[0]["NDCG@10"];
        Assert.NotEqual(Ndcg(1), Ndcg(2));
    }

    private sealed class CompositeSystem(int items) : ICatalogScorer, IComponentSystems
    {
        public List<Part> Parts { get; } = [];
        public string Name => "Composite";
        public bool Supports(TaskKind task) => true;
        public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context) => new(1, 1, 0.5, "NDCG@10", false) { Note = "trained once" };
        public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores) => scores.Fill(1);

        public IReadOnlyList<IEvaluatedSystem> Components()
        {
            Part[] parts = [new("Composite: first item", items, i => -i), new("Composite: last item", items, i => i)];
            Parts.AddRange(parts);
            return parts;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Part(string name, int items, Func<int, float> score) : ICatalogScorer
    {
        public bool Disposed { get; private set; }
        public string Name => name;
        public bool Supports(TaskKind task) => true;
        public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context) => SystemTrainingResult.NotTrained;

        public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
        {
            for (var row = 0; row < cases.Count; row++)
                for (var item = 0; item < items; item++)
                    scores[row * items + item] = score(item);
        }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void A_task_list_must_not_be_empty()
    {
        var e = Assert.Throws<ArgumentException>(() => new BenchmarkOptions { Tasks = [] });
        Assert.Contains("at least one task", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_report_follows_every_run_but_the_last_and_holds_the_runs_finished_so_far()
    {
        var data = new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data");
        var runner = new BenchmarkRunner(new BenchmarkOptions { Seeds = [1, 2], Device = TorchSharp.torch.CPU, Protocols = [EvaluationProtocol.FullRanking] });
        var partials = new List<BenchmarkReport>();
        var final = runner.Run(data, [
            new SystemDefinition("popularity", "most popular", () => new PopularitySystem()),
            new SystemDefinition("bm25", "lexical", () => new Bm25System()),
        ], afterEachRun: partials.Add);

        Assert.Equal(3, partials.Count);
        Assert.Equal([[1L], [1L, 2L], [1L, 2L]], partials.Select(p => p.Systems[0].Runs.Select(r => r.Seed).ToArray()));
        Assert.Equal([1, 1, 2], partials.Select(p => p.Systems.Count));
        Assert.Equal([1L], partials[2].Systems[1].Runs.Select(r => r.Seed));
        Assert.All(partials.Select((p, i) => (p, i)), x => Assert.Contains($"Partial report: {x.i + 1} of 4 runs finished", string.Join(" ", x.p.Notes)));
        Assert.DoesNotContain(final.Notes, n => n.StartsWith("Partial report", StringComparison.Ordinal));
        // What a partial report holds is what the final one says about the same runs.
        Assert.Equal(final.Systems[0].Runs[0].Reports[0].Tasks[0]["NDCG@10"], partials[0].Systems[0].Runs[0].Reports[0].Tasks[0]["NDCG@10"]);
        Assert.Equal(partials[2].ToJsonString(), BenchmarkReport.Parse(partials[2].ToJsonString()).ToJsonString());
    }

    [Fact]
    public void The_markdown_labels_both_protocols_and_gives_mean_and_deviation_over_seeds()
    {
        var markdown = TwoSeeds.Value.ToMarkdown();

        Assert.Contains("## Full ranking over the catalogue", markdown);
        Assert.Contains("## Sampled candidates", markdown);
        Assert.Contains("1 positive + 99 negatives", markdown);
        Assert.Contains("excluded from the ranking", markdown);
        Assert.Contains("±", markdown);
        Assert.Contains("| Recall@5 | NDCG@5 | Recall@10 | NDCG@10 | Recall@20 | NDCG@20 | MRR@20 |", markdown);
        Assert.Contains("`GenSR.Evaluation --demo`", markdown);
    }

    [Fact]
    public void The_JSON_reloads_to_the_same_report()
    {
        var report = TwoSeeds.Value;
        var json = report.ToJsonString();

        var reloaded = BenchmarkReport.Parse(json);

        Assert.Equal(json, reloaded.ToJsonString());
        Assert.Equal(report.ToMarkdown(), reloaded.ToMarkdown());
        var ndcg = reloaded.Systems[0].Summarize(EvaluationProtocol.FullRanking, TaskKind.Recommendation, "NDCG@10")!;
        Assert.Equal(2, ndcg.Runs);
        Assert.Equal(report.Systems[0].Runs[0].Reports[0][TaskKind.Recommendation]["NDCG@10"], ndcg.Mean, 12);
    }

    [Fact]
    public void Saving_writes_both_files_into_the_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gensr-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (markdown, json) = TwoSeeds.Value.Save(folder);

            Assert.Equal(Path.Combine(folder, "report.md"), markdown);
            Assert.StartsWith("# Evaluation on demo", File.ReadAllText(markdown));
            Assert.Equal(TwoSeeds.Value.ToJsonString(), BenchmarkReport.Load(json).ToJsonString());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_report_is_rejected_with_the_reason()
    {
        var wrongFormat = Assert.Throws<InvalidDataException>(() => BenchmarkReport.Parse("{\"format\": \"other\"}", "x.json"));
        Assert.Contains("x.json", wrongFormat.Message);
        Assert.Contains("gensr-benchmark-report", wrongFormat.Message);

        var json = TwoSeeds.Value.ToJsonString().Replace("\"testCases\": ", "\"testCases\": \"many\", \"was\": ", StringComparison.Ordinal);
        var badField = Assert.Throws<InvalidDataException>(() => BenchmarkReport.Parse(json, "y.json"));
        Assert.Contains("testCases", badField.Message);
    }

    [Fact]
    public void A_bad_field_is_named_by_its_path_and_what_was_expected()
    {
        string Edit(Action<System.Text.Json.Nodes.JsonObject> change)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(TwoSeeds.Value.ToJsonString())!.AsObject();
            change(root);
            return root.ToJsonString();
        }
        string Error(string json) => Assert.Throws<InvalidDataException>(() => BenchmarkReport.Parse(json, "report.json")).Message;

        Assert.Equal("report.json: systems[1].runs[0].seed: expected an integer.",
                     Error(Edit(r => r["systems"]![1]!["runs"]![0]!["seed"] = "one")));
        Assert.Equal("report.json: systems[0].runs[1].training.stoppedEarly: expected true or false.",
                     Error(Edit(r => r["systems"]![0]!["runs"]![1]!["training"]!.AsObject().Remove("stoppedEarly"))));
        Assert.Equal("report.json: systems[0].tasks[0]: \"Ranking\" is not one of Recommendation, Search.",
                     Error(Edit(r => r["systems"]![0]!["tasks"]![0] = "Ranking")));
        Assert.Equal("report.json: systems[0].runs[0].reports[1]: \"dataset\" is missing.",
                     Error(Edit(r => r["systems"]![0]!["runs"]![0]!["reports"]![1]!.AsObject().Remove("dataset"))));
        Assert.Equal("report.json: cutoffs[2]: expected an integer.", Error(Edit(r => r["cutoffs"]![2] = 2.5)));
        Assert.Equal("report.json: version 2 is not supported (expected 1).",
                     Error(Edit(r => { r["version"] = 2; r["systems"] = "not checked before the version"; })));
        Assert.StartsWith("report.json: not valid JSON", Error("{\"format\": "), StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_published_rows_is_written_back_without_them_and_a_new_one_lists_none()
    {
        var json = TwoSeeds.Value.ToJsonString();
        Assert.Contains("\"published\": []", json, StringComparison.Ordinal);
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        root.Remove("published");

        var reloaded = BenchmarkReport.Parse(root.ToJsonString());

        Assert.Empty(reloaded.Published);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(root, System.Text.Json.Nodes.JsonNode.Parse(reloaded.ToJsonString())));
        Assert.Contains("\"published\": []", BenchmarkReport.Merge([reloaded]).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Summaries_use_the_sample_standard_deviation()
    {
        var summary = MetricSummary.Of([0.1, 0.3]);

        Assert.Equal(0.2, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), summary.StandardDeviation, 12);
        Assert.Equal("0.2000 ± 0.1414", summary.ToString());
        Assert.Equal("0.5000", MetricSummary.Of([0.5]).ToString());
    }

    [Fact]
    public void A_dataset_without_evaluable_users_is_refused()
    {
        var data = new BenchmarkDataset(TestDatasets.WithHistories(TestDatasets.Catalogue(5), [0, 1], [2]), "none");
        var runner = new BenchmarkRunner(new BenchmarkOptions { Device = TorchSharp.torch.CPU });

        var error = Assert.Throws<InvalidOperationException>(() =>
            runner.Run(data, [new SystemDefinition("popularity", "", () => new PopularitySystem())]));
        Assert.Contains("3 or more events", error.Message);
    }

    [Fact]
    public void Reports_of_one_seed_each_merge_into_the_report_of_both_seeds()
    {
        var data = new BenchmarkDataset(TestDatasets.SmallDemo.Dataset, "from the data");
        BenchmarkReport RunSeed(long seed) => new BenchmarkRunner(new BenchmarkOptions { Seeds = [seed], Device = TorchSharp.torch.CPU }).Run(data, [
            new SystemDefinition("popularity", "most popular", () => new PopularitySystem()),
            new SystemDefinition("bm25", "lexical", () => new Bm25System()),
        ], $"GenSR.Evaluation --demo --seed {seed}");

        // Given out of order, through JSON as the console reads them.
        var merged = BenchmarkReport.Merge([BenchmarkReport.Parse(RunSeed(2).ToJsonString()), BenchmarkReport.Parse(RunSeed(1).ToJsonString())]);

        var both = TwoSeeds.Value;
        Assert.Equal([1L, 2L], merged.Seeds);
        Assert.Equal(both.Systems.Select(s => s.Name), merged.Systems.Select(s => s.Name));
        Assert.All(merged.Systems, s => Assert.Equal([1L, 2L], s.Runs.Select(r => r.Seed)));
        foreach (var task in new[] { TaskKind.Recommendation, TaskKind.Search })
            Assert.Equal(both.Systems[0].Summarize(EvaluationProtocol.Sampled, task, "NDCG@10"), merged.Systems[0].Summarize(EvaluationProtocol.Sampled, task, "NDCG@10"));
        Assert.Equal("GenSR.Evaluation --demo --seed 2\nGenSR.Evaluation --demo --seed 1", merged.CommandLine);
        Assert.Contains("one report merged from 2 runs", merged.ToMarkdown());
        Assert.Contains("mean ± sample standard deviation over seeds", merged.ToMarkdown());
    }

    [Fact]
    public void Merging_refuses_a_seed_twice_and_reports_of_different_setups()
    {
        var report = TwoSeeds.Value;

        var twice = Assert.Throws<ArgumentException>(() => BenchmarkReport.Merge([report, report]));
        Assert.Contains("seed 1", twice.Message);

        var otherSplit = BenchmarkReport.Parse(report.ToJsonString().Replace("\"testCases\": ", "\"testCases\": 1", StringComparison.Ordinal));
        var different = Assert.Throws<ArgumentException>(() => BenchmarkReport.Merge([report, otherSplit]));
        Assert.Contains("Report 1 differs from report 0 in its validation and test case counts", different.Message);
    }
}
