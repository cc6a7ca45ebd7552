using GenSR.Core;
using GenSR.Evaluation.CommandLine;

namespace GenSR.Evaluation.Tests.CommandLine;

public sealed class EvaluationCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = EvaluationCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--protocol", "fast", "--protocol: unknown protocol \"fast\"; expected full, sampled or both.")]
    [InlineData("--device", "tpu", "--device: unknown device \"tpu\"; expected auto, cpu, cuda or cuda:N.")]
    [InlineData("--max-users", "0", "--max-users: expected an integer in [1, 2147483647], got \"0\".")]
    [InlineData("--tasks", "ranking", "--tasks: unknown task \"ranking\"; expected recommendation, search or both.")]
    [InlineData("--seeds", "0", "--seeds: expected an integer in [1, 100], got \"0\".")]
    [InlineData("--format", "csv", "--format: unknown format \"csv\"; expected auto, amazon, movielens, jsonl.")]
    [InlineData("--systems", "popularity,gensr9", "--systems: unknown system \"gensr9\"")]
    [InlineData("--exclude-seen", "maybe", "--exclude-seen: expected yes or no, got \"maybe\".")]
    [InlineData("--negatives", "-3", "--negatives: expected an integer in [1, 1000000], got \"-3\".")]
    [InlineData("--frobnicate", "1", "unknown option \"--frobnicate\"")]
    [InlineData("--learning-rate", "0", "--learning-rate: expected a number in (0, 1], got \"0\".")]
    [InlineData("--pointwise-fraction", "1.5", "--pointwise-fraction: expected a number in [0, 1], got \"1.5\".")]
    public void A_bad_option_value_is_named_with_what_it_accepts(string option, string value, string message)
    {
        var (code, _, error) = Run("--demo", option, value);

        Assert.Equal(EvaluationCommand.UsageError, code);
        Assert.Contains(message, error);
        Assert.Contains("usage: GenSR.Evaluation.Cli", error);
    }

    [Theory]
    [InlineData(new[] { "--demo" }, 1e-3, 0.0)]
    [InlineData(new[] { "--data", "." }, 1e-3, 0.0)]
    [InlineData(new[] { "--demo", "--learning-rate", "2e-4", "--pointwise-fraction", "0" }, 2e-4, 0.0)]
    [InlineData(new[] { "--data", ".", "--learning-rate=0.01", "--pointwise-fraction=0.75" }, 0.01, 0.75)]
    public void GenSR_systems_train_with_the_learning_rate_and_pointwise_share_of_the_command_line(string[] args, double rate, double fraction)
    {
        var settings = EvaluationCommandLine.Parse([.. args, "--systems", "gensr,gensr-no-cl"]);

        foreach (var definition in SystemRegistry.Select(settings))
        {
            using var system = Assert.IsType<GenSR.Evaluation.GenSRSystem>(definition.Create());
            Assert.Equal(rate, system.Options.Training.LearningRate);
            Assert.Equal(fraction, system.Options.Training.PointwiseFraction);
        }
    }

    [Fact]
    public void GenSR_systems_share_the_library_defaults_and_take_budgets_backbone_and_indexing_from_the_command_line()
    {
        var defaults = new GenSR.Unify.GenSRTrainingOptions();
        var plain = (GenSR.Evaluation.GenSRSystem)SystemRegistry.Select(EvaluationCommandLine.Parse(["--data", ".", "--systems", "gensr"]))[0].Create();
        Assert.Equal(defaults.LearningRate, plain.Options.Training.LearningRate);
        Assert.Equal(defaults.Schedule, plain.Options.Training.Schedule);
        Assert.Equal(defaults.WarmupSteps, plain.Options.Training.WarmupSteps);
        Assert.Equal(defaults.Patience, plain.Options.Training.Patience);
        Assert.Equal(defaults.IndexingFraction, plain.Options.Training.IndexingFraction);
        Assert.Null(plain.Options.Training.MaxDuration);
        Assert.Equal(2, plain.Options.Pipeline.Layers);

        var settings = EvaluationCommandLine.Parse(["--data", ".", "--systems", "gensr,gensr-pointwise", "--max-minutes", "1.5", "--max-steps", "300",
                                                    "--backbone", "tiger", "--indexing-fraction", "0.5"]);
        var systems = SystemRegistry.Select(settings).Select(d => d.Create()).ToArray();
        var gensr = (GenSR.Evaluation.GenSRSystem)systems[0];
        Assert.Equal(TimeSpan.FromMinutes(1.5), gensr.Options.Training.MaxDuration);
        Assert.Equal(300, gensr.Options.Training.MaxSteps);
        Assert.Equal(0.5, gensr.Options.Training.IndexingFraction);
        Assert.Equal((4, 128, 1024, 6, 64), (gensr.Options.Pipeline.Layers, gensr.Options.Pipeline.ModelDimension, gensr.Options.Pipeline.FeedForwardDimension, gensr.Options.Pipeline.Heads, gensr.Options.Pipeline.HeadDimension));
        var pointwise = (GenSR.Evaluation.GenSRPointwiseSystem)systems[1];
        Assert.Equal(0.5, pointwise.Options.Training.PointwiseFraction); // the pointwise system keeps its Yes/No rows
        foreach (var s in systems) s.Dispose();

        Assert.Contains("--backbone", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--backbone", "huge"])).Message);
        Assert.Contains("--max-minutes", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--max-minutes", "0"])).Message);
    }

    [Fact]
    public void Pretrained_encoders_and_item_categories_reach_the_pipeline_options()
    {
        var plain = (GenSR.Evaluation.GenSRSystem)SystemRegistry.Select(EvaluationCommandLine.Parse(["--data", ".", "--systems", "gensr"]))[0].Create();
        Assert.Null(plain.Options.Pipeline.ItemEncoder);
        Assert.Null(plain.Options.Pipeline.QueryEncoder);
        Assert.False(plain.Options.Pipeline.ItemTokensIncludeCategories);

        var settings = EvaluationCommandLine.Parse(["--data", ".", "--systems", "gensr-fused", "--item-encoder", "minilm", "--query-vectors", "arctic", "--item-categories", "yes"]);
        var fused = (GenSR.Evaluation.GenSRSystem)SystemRegistry.Select(settings)[0].Create();
        var items = Assert.IsType<GenSR.Representation.SentenceEncoders.OnnxSentenceEncoder>(fused.Options.Pipeline.ItemEncoder);
        var queries = Assert.IsType<GenSR.Representation.SentenceEncoders.OnnxSentenceEncoder>(fused.Options.Pipeline.QueryEncoder);
        Assert.Equal("", items.Options.TextPrefix);
        Assert.Equal(GenSR.Representation.SentenceEncoders.OnnxSentenceEncoder.ArcticQueryPrefix, queries.Options.TextPrefix);
        Assert.True(fused.Options.Pipeline.ItemTokensIncludeCategories);
        Assert.Equal(20, fused.Options.Pipeline.TitleTokens);
        Assert.Contains("--query-vectors", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--query-vectors", "bert"])).Message);
        Assert.Contains("--item-encoder", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--item-encoder", "none"])).Message);
    }

    [Fact]
    public void Dense_categories_and_dense_history_go_to_the_gensr_systems_with_a_dense_head()
    {
        var settings = EvaluationCommandLine.Parse(["--demo", "--systems", "gensr,gensr-fused", "--dense-categories", "8", "--dense-history", "yes"]);
        var systems = SystemRegistry.Select(settings).Select(s => (GenSR.Evaluation.GenSRSystem)s.Create()).ToArray();
        Assert.Equal(0, systems[0].Options.Pipeline.DenseCategoryTokens); // no dense head to match words in
        Assert.False(systems[0].Options.Pipeline.DenseHistory);
        Assert.Equal(8, systems[1].Options.Pipeline.DenseCategoryTokens);
        Assert.True(systems[1].Options.Pipeline.DenseHistory);
        Assert.False(EvaluationCommandLine.Parse(["--demo"]).DenseHistory);
        Assert.Equal(0, EvaluationCommandLine.Parse(["--demo"]).DenseCategories);
        Assert.Contains("--dense-categories", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--dense-categories", "513"])).Message);
    }

    [Fact]
    public void Recorded_command_lines_hold_no_absolute_paths()
    {
        var data = Path.Combine(Environment.CurrentDirectory, "data", "set");
        var recorded = EvaluationCommand.RecordedCommand(["--data", data, "--systems", "gensr", $"--out={Path.Combine(Environment.CurrentDirectory, "out")}"]);
        Assert.Equal("GenSR.Evaluation.Cli --data data/set --systems gensr --out=out", recorded);
    }

    [Theory]
    [InlineData(new string[0], "give --data <folder> or --demo.")]
    [InlineData(new[] { "--demo", "--data", "." }, "give either --data or --demo, not both.")]
    [InlineData(new[] { "--data", "/no/such/folder" }, "--data: the folder \"/no/such/folder\" does not exist.")]
    [InlineData(new[] { "--demo", "--out" }, "--out needs a value.")]
    [InlineData(new[] { "--demo", "--seeds", "2", "--seeds", "3" }, "--seeds is given twice.")]
    [InlineData(new[] { "--data", ".", "--demo-users", "10" }, "--demo-users and --demo-items apply to --demo only.")]
    public void Inconsistent_or_incomplete_command_lines_are_refused(string[] args, string message)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(EvaluationCommand.UsageError, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_folder_that_is_no_dataset_fails_with_the_loader_message()
    {
        var folder = Directory.CreateTempSubdirectory("gensr-empty-");
        try
        {
            var (code, _, error) = Run("--data", folder.FullName, "--systems", "popularity");

            Assert.Equal(EvaluationCommand.RunFailed, code);
            Assert.Contains("cannot tell the dataset format", error);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Another_Amazon_category_with_odd_metadata_runs_unchanged()
    {
        // Category strings with ", " separators and HTML entities, an item without a title, one without any category.
        var folder = Directory.CreateTempSubdirectory("gensr-tools-");
        try
        {
            var items = new System.Text.StringBuilder("{");
            for (var i = 0; i < 40; i++)
            {
                var title = i == 3 ? "" : $"Tool &amp; Part {i} Model {i % 7}";
                var categories = i == 5 ? "\"\"" : $"\"Tools &amp; Home Improvement, Power Tools, Drills {i % 4}\"";
                items.Append(i == 0 ? "" : ",").Append($"\"{i}\": {{\"title\": \"{title}\", \"description\": \"Sturdy {i}\", \"brand\": \"Brand{i % 5}\", \"categories\": {categories}}}");
            }
            File.WriteAllText(Path.Combine(folder.FullName, "Tools.item.json"), items.Append('}').ToString());
            var users = Enumerable.Range(0, 30).Select(u => $"\"{u}\": [{string.Join(", ", Enumerable.Range(0, 5 + u % 4).Select(k => (u * 3 + k * 7) % 40))}]");
            File.WriteAllText(Path.Combine(folder.FullName, "Tools.inter.json"), "{" + string.Join(", ", users) + "}");
            var output = Path.Combine(folder.FullName, "out");

            // 40 items cannot give 99 negatives: the run stops before training and says what to change.
            var (refused, _, why) = Run("--data", folder.FullName, "--systems", "popularity", "--device", "cpu", "--out", output);
            Assert.Equal(EvaluationCommand.RunFailed, refused);
            Assert.Contains("Tools: the sampled protocol draws 99 negatives per case, but with 40 items", why);
            Assert.Contains("lower --negatives or use --protocol full", why);

            var (code, _, error) = Run("--data", folder.FullName, "--systems", "popularity,bm25,joint", "--max-epochs", "1",
                                       "--negatives", "20", "--device", "cpu", "--quiet", "--out", output);

            Assert.True(code == EvaluationCommand.Success, error);
            var report = BenchmarkReport.Load(Path.Combine(output, BenchmarkReport.JsonFileName));
            Assert.Equal("Tools", report.Dataset);
            Assert.Equal(30, report.TestCases);
            Assert.Equal(3, report.Systems.Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Defaults_and_inline_values_parse()
    {
        var defaults = EvaluationCommandLine.Parse(["--demo"]);
        Assert.Equal([EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled], defaults.Protocols);
        Assert.Null(defaults.Device);
        Assert.Equal(1, defaults.SeedCount);
        Assert.Equal(["popularity", "category-popularity", "bm25", "sasrec", "joint"], defaults.Systems);
        Assert.True(defaults.ExcludeSeen);

        var custom = EvaluationCommandLine.Parse(["--demo", "--protocol=sampled", "--systems", "BM25, popularity", "--seeds=3", "--device", "cpu"]);
        Assert.Equal([EvaluationProtocol.Sampled], custom.Protocols);
        Assert.Equal(["bm25", "popularity"], custom.Systems);
        Assert.Equal(3, custom.SeedCount);
        Assert.Equal(TorchSharp.DeviceType.CPU, custom.Device!.type);
        Assert.Null(custom.Tasks);

        Assert.Equal([TaskKind.Recommendation], EvaluationCommandLine.Parse(["--demo", "--tasks", "recommendation"]).Tasks);
        Assert.Equal([TaskKind.Search], EvaluationCommandLine.Parse(["--demo", "--tasks=Search"]).Tasks);
        Assert.Null(EvaluationCommandLine.Parse(["--demo", "--tasks", "both"]).Tasks);
    }

    [Fact]
    public void The_console_evaluates_the_demo_under_both_protocols_and_writes_both_reports()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gensr-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, error) = Run("--demo", "--demo-users", "150", "--demo-items", "120", "--max-epochs", "1",
                                            "--device", "cpu", "--quiet", "--out", folder);

            Assert.True(code == EvaluationCommand.Success, error);
            Assert.Contains("wrote", output);
            var report = BenchmarkReport.Load(Path.Combine(folder, BenchmarkReport.JsonFileName));
            Assert.Equal(["Popularity", "Category popularity", "BM25", "SASRec", "Joint S&R Transformer"], report.Systems.Select(s => s.Name));
            Assert.All(report.Systems, s => Assert.Equal([EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled], s.Protocols));
            Assert.Equal(150, report.Statistics.Users);
            var markdown = File.ReadAllText(Path.Combine(folder, BenchmarkReport.MarkdownFileName));
            Assert.Contains("## Full ranking over the catalogue", markdown);
            Assert.Contains("## Sampled candidates", markdown);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_user_sample_is_evaluated_and_named_as_a_sample_so_published_rows_of_the_full_data_stay_out()
    {
        var root = Directory.CreateTempSubdirectory("gensr-sample-");
        try
        {
            var published = Path.Combine(root.FullName, "published.json");
            File.WriteAllText(published, """
                {"format": "gensr-published-results", "version": 1, "results": [{"dataset": "demo", "system": "Paper", "source": "S",
                 "protocol": "FullRanking", "task": "Recommendation", "metrics": {"NDCG@10": 0.5}}]}
                """);
            var folder = Path.Combine(root.FullName, "out");

            var (code, _, error) = Run("--demo", "--demo-users", "200", "--demo-items", "100", "--max-users", "50", "--systems", "popularity",
                                       "--protocol", "full", "--tasks", "recommendation", "--published", published, "--out", folder);

            Assert.True(code == EvaluationCommand.Success, error);
            var report = BenchmarkReport.Load(Path.Combine(folder, BenchmarkReport.JsonFileName));
            Assert.Equal("demo (sample of 50 of 200 users, seed 42)", report.Dataset);
            Assert.Equal(50, report.Statistics.Users);
            Assert.Empty(report.Published);
            Assert.Contains(report.Notes, n => n.StartsWith("1 published row(s) for demo are not shown", StringComparison.Ordinal));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Merge_writes_one_report_from_runs_made_one_seed_at_a_time()
    {
        var root = Directory.CreateTempSubdirectory("gensr-merge-");
        try
        {
            string RunSeed(string seed)
            {
                var folder = Path.Combine(root.FullName, "seed" + seed);
                var (code, _, error) = Run("--demo", "--demo-users", "100", "--demo-items", "100", "--systems", "popularity,bm25", "--protocol", "full", "--seed", seed, "--out", folder);
                Assert.True(code == EvaluationCommand.Success, error);
                return Path.Combine(folder, BenchmarkReport.JsonFileName);
            }
            var first = RunSeed("5");
            var second = RunSeed("6");
            var merged = Path.Combine(root.FullName, "merged");

            var (mergeCode, output, mergeError) = Run("merge", first, second, "--out", merged);

            Assert.True(mergeCode == EvaluationCommand.Success, mergeError);
            Assert.Contains("merged 2 reports", output);
            var report = BenchmarkReport.Load(Path.Combine(merged, BenchmarkReport.JsonFileName));
            Assert.Equal([5L, 6L], report.Seeds);
            Assert.All(report.Systems, s => Assert.Equal([5L, 6L], s.Runs.Select(r => r.Seed)));

            var (again, _, againError) = Run("merge", first, first, "--out", merged);
            Assert.Equal(EvaluationCommand.RunFailed, again);
            Assert.Contains("seed 5", againError);
            var (usage, _, usageError) = Run("merge", first, "--out", merged);
            Assert.Equal(EvaluationCommand.UsageError, usage);
            Assert.Contains("at least two report.json files", usageError);
            var (missing, _, missingError) = Run("merge", first, Path.Combine(root.FullName, "none.json"), "--out", merged);
            Assert.Equal(EvaluationCommand.RunFailed, missing);
            Assert.Contains("none.json", missingError);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
