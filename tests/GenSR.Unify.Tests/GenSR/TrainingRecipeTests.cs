using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>A small untrained model shared by the recipe tests (no learning is asserted on it).</summary>
public sealed class SmallModelFixture : IDisposable
{
    public SmallModelFixture()
    {
        TorchRuntime.SetThreads(1);
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 3 }));
        Prepared = GenSRPipeline.Prepare(Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU,
            ModelDimension = 32,
            Layers = 1,
            PromptHistoryItems = 4,
            TitleTokens = 4,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
    }

    public DatasetSplit Split { get; }

    public GenSRPrepared Prepared { get; }

    public GenSRTrainer Trainer(GenSRTrainingOptions options) => new(Prepared.Model, Prepared.Builder, Prepared.ItemKeys, options);

    public void Dispose() => Prepared.Model.Dispose();
}

/// <summary>The row mix, the learning-rate schedule, the budgets and the validation hook of <see cref="GenSRTrainer"/>.</summary>
public sealed class TrainingRecipeTests(SmallModelFixture fixture) : IClassFixture<SmallModelFixture>
{
    private static readonly GenSRTrainingOptions Small = new() { BatchSize = 16, ValidationCases = 20, WarmupSteps = 2, LearningRate = 3e-3, IndexingFraction = 0 };

    private IReadOnlyList<GenSRRequest> Rows(GenSRTrainingOptions options) =>
        fixture.Trainer(options).PlanEpoch(fixture.Split, 1).SelectMany(b => b).ToArray();

    [Fact]
    public void Every_event_is_a_recommendation_row_and_search_events_are_also_search_rows()
    {
        var rows = Rows(Small with { BatchSize = 2 });
        var examples = fixture.Split.TrainingExamples;
        var searchEvents = examples.Count(e => e.Target.Task == TaskKind.Search && !string.IsNullOrWhiteSpace(e.Target.Query));
        Assert.True(searchEvents > 0 && searchEvents < examples.Count);
        Assert.Equal(examples.Count, rows.Count(r => r.Task == TaskKind.Recommendation));
        Assert.Equal(searchEvents, rows.Count(r => r.Task == TaskKind.Search));
        Assert.DoesNotContain(rows, r => r.IsPointwise); // Yes/No rows are off by default
        Assert.Equal(0.0, new GenSRTrainingOptions().PointwiseFraction);
        Assert.Equal(1.0, new GenSRTrainingOptions().IndexingFraction);
        Assert.All(rows, r => Assert.NotNull(r.TargetItem));
        // Same multiset of (task, target) as the examples give, in a shuffled order.
        var expected = examples.Select(e => (TaskKind.Recommendation, e.Target.ItemId))
            .Concat(examples.Where(e => e.Target.Task == TaskKind.Search).Select(e => (TaskKind.Search, e.Target.ItemId)))
            .Order().ToArray();
        Assert.Equal(expected, rows.Select(r => (r.Task, r.TargetItem!.Value)).Order().ToArray());
    }

    [Fact]
    public void Single_task_models_get_only_their_rows_and_a_search_model_sees_no_recommendation_row()
    {
        var recommendation = Rows(Small with { BatchSize = 2, Tasks = [TaskKind.Recommendation], IndexingFraction = 1 });
        Assert.All(recommendation, r => Assert.Equal(TaskKind.Recommendation, r.Task)); // indexing needs the search task
        Assert.Equal(fixture.Split.TrainingExamples.Count, recommendation.Count);
        var search = Rows(Small with { BatchSize = 2, Tasks = [TaskKind.Search] });
        Assert.All(search, r => Assert.Equal(TaskKind.Search, r.Task));
    }

    [Fact]
    public void Indexing_rows_ask_for_each_item_from_its_text_with_an_empty_history()
    {
        var once = Rows(Small with { BatchSize = 2, IndexingFraction = 1 }).Where(r => r.History.Count == 0 && r.Task == TaskKind.Search).ToArray();
        var catalog = fixture.Split.Dataset.Catalog;
        Assert.Equal(catalog.Count, once.Length);
        Assert.Equal(Enumerable.Range(0, catalog.Count), once.Select(r => r.TargetItem!.Value).Order());
        Assert.All(once, r => Assert.Equal(GenSRTrainer.IndexingQuery(catalog[r.TargetItem!.Value]), r.Query));
        var twice = Rows(Small with { BatchSize = 2, IndexingFraction = 2 }).Count(r => r.History.Count == 0 && r.Task == TaskKind.Search);
        Assert.Equal(2 * catalog.Count, twice);
        var half = Rows(Small with { BatchSize = 2, IndexingFraction = 0.5 }).Count(r => r.History.Count == 0 && r.Task == TaskKind.Search);
        Assert.InRange(half, catalog.Count / 4, 3 * catalog.Count / 4);
    }

    [Fact]
    public void Pointwise_rows_follow_their_share_of_the_generative_rows()
    {
        var rows = Rows(Small with { BatchSize = 2, PointwiseFraction = 0.5 });
        var generative = rows.Count(r => !r.IsPointwise);
        Assert.InRange(rows.Count(r => r.IsPointwise) / (double)generative, 0.4, 0.6);
    }

    [Fact]
    public void Indexing_query_is_lower_case_item_text_cut_to_the_word_limit()
    {
        var item = new Item(0, "k", "Big RED Tent", "", "Acme", ["Camping", "Tents"]);
        Assert.Equal("big red tent acme camping tents", GenSRTrainer.IndexingQuery(item));
        var longTitle = new Item(1, "l", string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}")), "", "", []);
        Assert.Equal(GenSRTrainer.IndexingQueryWords, GenSRTrainer.IndexingQuery(longTitle).Split(' ').Length);
        Assert.Equal("", GenSRTrainer.IndexingQuery(new Item(2, "m", "", "", "", [])));
    }

    [Fact]
    public void Length_bucketing_keeps_the_rows_and_batches_similar_history_lengths_together()
    {
        var plain = fixture.Trainer(Small with { BatchSize = 4 }).PlanEpoch(fixture.Split, 1);
        var bucketed = fixture.Trainer(Small with { BatchSize = 4, BucketByLength = true }).PlanEpoch(fixture.Split, 1);
        static IEnumerable<(TaskKind, int, int)> Keys(IEnumerable<GenSRRequest[]> batches) =>
            batches.SelectMany(b => b).Select(r => (r.Task, r.TargetItem!.Value, r.History.Count)).Order();
        // Pools of 50 batches: at most one leftover row per pool can be dropped, as at the end of an unbucketed epoch.
        var rows = plain.Sum(b => b.Length);
        Assert.InRange(bucketed.Sum(b => b.Length), rows - (rows / (4 * GenSRTrainer.BucketPoolBatches) + 1), rows);
        Assert.Empty(Keys(bucketed).Except(Keys(plain)));
        static double Spread(IEnumerable<GenSRRequest[]> batches) =>
            batches.Average(b => b.Max(r => Math.Min(r.History.Count, 20)) - b.Min(r => Math.Min(r.History.Count, 20)));
        Assert.True(Spread(bucketed) < 0.5 * Spread(plain), $"history-length spread per batch {Spread(bucketed):F2} bucketed vs {Spread(plain):F2}");
        // Batches are still shuffled: the lengths of consecutive batches do not simply rise.
        var firstLengths = bucketed.Select(b => b[0].History.Count).ToArray();
        Assert.Contains(Enumerable.Range(1, firstLengths.Length - 1), i => firstLengths[i] < firstLengths[i - 1]);
    }

    [Fact]
    public void Learning_rate_warms_up_then_follows_the_schedule_without_reaching_zero_at_the_cap()
    {
        var options = new GenSRTrainingOptions { LearningRate = 1e-3, WarmupSteps = 100 };
        var inverse = fixture.Trainer(options);
        Assert.Equal(1e-5, inverse.LearningRateAt(0, 1000), 12);
        Assert.Equal(5e-4, inverse.LearningRateAt(49, 1000), 12);
        Assert.Equal(1e-3, inverse.LearningRateAt(99, 1000), 12);
        Assert.Equal(1e-3 * Math.Sqrt(100.0 / 400), inverse.LearningRateAt(399, 1000), 12);
        Assert.Equal(inverse.LearningRateAt(999, 1000), inverse.LearningRateAt(999, 5000)); // the cap does not matter
        Assert.True(inverse.LearningRateAt(999, 1000) > 0.3e-3);
        var constant = fixture.Trainer(options with { Schedule = LearningRateSchedule.Constant });
        Assert.Equal(1e-3, constant.LearningRateAt(5000, 1000), 12);
        var linear = fixture.Trainer(options with { Schedule = LearningRateSchedule.Linear });
        Assert.Equal(0.5e-3, linear.LearningRateAt(550, 1000), 12);
        Assert.Equal(0.0, linear.LearningRateAt(1000, 1000), 12);
        var noWarmup = fixture.Trainer(options with { WarmupSteps = 0 });
        Assert.Equal(1e-3, noWarmup.LearningRateAt(0, 1000), 12);
        Assert.Equal(1e-3 * Math.Sqrt(100.0 / 400), noWarmup.LearningRateAt(399, 1000), 12);
    }

    [Fact]
    public void Step_budget_ends_training_with_a_validation_and_keeps_the_best_weights()
    {
        var trainer = fixture.Trainer(Small with { MaxSteps = 7, ValidateEvery = 3, Patience = 10 });
        var result = trainer.Train(fixture.Split);
        Assert.Equal(7, result.Steps);
        Assert.Equal(TrainingStopReason.StepBudget, result.StopReason);
        Assert.False(result.StoppedEarly);
        Assert.Equal([3, 6, 7], result.History.Where(h => h.ValidationNdcg10 is not null).Select(h => h.Step));
        Assert.Equal(result.History.Where(h => h.ValidationNdcg10 is not null).Max(h => h.ValidationNdcg10!.Value), result.BestValidationNdcg10, 12);
        Assert.All(result.History, h => Assert.Equal(7, h.TotalSteps));
        // The model now holds the best step's weights: validating again gives the best score, not the last one.
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var again = trainer.Validate(inference, GenSRTrainer.ValidationSample(fixture.Split.Validation, trainer.Options), fixture.Split).Values.Average();
        Assert.Equal(result.BestValidationNdcg10, again, 6);
    }

    [Fact]
    public void Time_budget_stops_after_the_step_that_exceeds_it_and_the_logger_hears_the_run()
    {
        var logger = new ListLogger();
        var result = new GenSRTrainer(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys, Small with { MaxDuration = TimeSpan.FromTicks(1) }, logger)
            .Train(fixture.Split);
        Assert.Equal(TrainingStopReason.TimeBudget, result.StopReason);
        Assert.Equal(1, result.Steps);
        Assert.NotNull(result.History[^1].ValidationNdcg10);
        Assert.Collection(logger.Lines,
            start => Assert.StartsWith("GenSR training: ", start),
            validation => Assert.Contains($"GenSR validation at step 1 (epoch 1): NDCG@10 {result.BestValidationNdcg10:F4}", validation),
            end => Assert.Contains("ended after 1 steps (TimeBudget)", end));
    }

    [Fact]
    public void Progress_says_which_steps_trained_yes_no_rows()
    {
        var options = Small with { PointwiseFraction = 0.5, MaxSteps = 12 };
        var trainer = fixture.Trainer(options);
        var planned = trainer.PlanEpoch(fixture.Split, 1).Take(12).Select(b => b[0].IsPointwise).ToArray();

        var result = trainer.Train(fixture.Split);

        Assert.Equal(planned, result.History.Select(h => h.PointwiseStep));
        Assert.Contains(true, planned);
        Assert.Contains(false, planned);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
                                Func<TState, Exception?, string> formatter) => Lines.Add(formatter(state, exception));
    }

    [Fact]
    public void A_custom_validator_drives_early_stopping_and_selection()
    {
        var calls = 0;
        var scores = new[] { 0.2, 0.5, 0.4, 0.3, 0.1, 0.05, 0.9 };
        var trainer = new GenSRTrainer(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys, Small with { ValidateEvery = 2, Patience = 4 })
        {
            Validator = _ => new Dictionary<string, double> { ["Recommendation"] = scores[calls++] },
        };
        var result = trainer.Train(fixture.Split);
        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.True(result.StoppedEarly);
        Assert.Equal(6, calls); // best at the 2nd validation, then 4 without improvement
        Assert.Equal(0.5, result.BestValidationNdcg10);
        Assert.Equal(4, result.BestStep);
        Assert.Equal(12, result.Steps);
    }

    [Fact]
    public void A_validator_returning_nonsense_is_reported()
    {
        var trainer = new GenSRTrainer(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys, Small with { MaxSteps = 1 })
        {
            Validator = _ => new Dictionary<string, double> { ["Search"] = double.NaN },
        };
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Train(fixture.Split));
        Assert.Contains("Validator", e.Message);
    }

    [Fact]
    public void Cancellation_keeps_the_best_validated_weights()
    {
        using var cancel = new CancellationTokenSource();
        var validations = new List<(int Step, double Score)>();
        Dictionary<string, Tensor>? bestWeights = null;
        var trainer = new GenSRTrainer(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys, Small with { ValidateEvery = 2, Patience = 10 })
        {
            // Scores that make step 2 the best; the weights at that moment are what the model must hold afterwards.
            Validator = _ =>
            {
                var step = (validations.Count + 1) * 2;
                var score = step == 2 ? 1.0 : 0.1;
                validations.Add((step, score));
                if (step == 2) bestWeights = fixture.Prepared.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                return new Dictionary<string, double> { ["Recommendation"] = score };
            },
        };
        var steps = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
            trainer.Train(fixture.Split, new SynchronousProgress<TrainingProgress>(_ => { if (++steps == 5) cancel.Cancel(); }), cancel.Token));
        Assert.Equal([2, 4], validations.Select(v => v.Step));
        Assert.NotNull(bestWeights);
        foreach (var (name, value) in fixture.Prepared.Model.state_dict())
            Assert.True(value.allclose(bestWeights![name], 0, 0), $"{name} differs from the best step's weights");
        foreach (var t in bestWeights!.Values) t.Dispose();
    }


    [Fact]
    public void A_split_without_validation_trains_to_its_budget_and_keeps_the_final_weights()
    {
        var split = LeaveOneOutSplit.AllForTraining(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 3 }));
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-all-{Guid.NewGuid():N}");
        try
        {
            using var model = prepared.Model;
            prepared.NewItems?.Dispose();
            var result = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, Small with { Epochs = 3, CheckpointFolder = folder }).Train(split);

            Assert.Equal(TrainingStopReason.EpochLimit, result.StopReason);
            Assert.Equal(result.Steps, result.BestStep);
            Assert.True(double.IsNegativeInfinity(result.BestValidationNdcg10));
            Assert.All(result.History, h => Assert.Null(h.ValidationNdcg10));
            var losses = result.History.Select(h => h.LanguageModelLoss).ToArray();
            Assert.True(losses.Take(5).Average() > losses.TakeLast(5).Average() + 0.2, $"loss {losses.Take(5).Average():F3} -> {losses.TakeLast(5).Average():F3}");
            // The final weights are the model's and the best/ checkpoint's.
            using var saved = GenSRCheckpoint.Load(Path.Combine(folder, "best"));
            foreach (var (name, tensor) in model.state_dict())
                Assert.True(tensor.cpu().allclose(saved.Model.state_dict()[name].cpu(), rtol: 0, atol: 0), name);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
