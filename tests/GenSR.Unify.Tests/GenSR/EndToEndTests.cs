using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>Training on the demo data learns both tasks; checkpoints, the facade and resuming behave.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class EndToEndTests(TrainedDemoFixture fixture) : IClassFixture<TrainedDemoFixture>
{
    [Fact]
    public void Loss_falls_during_training()
    {
        var history = fixture.Result.History;
        Assert.True(history.Count >= 20, $"only {history.Count} steps ran");
        var first = history.Take(10).Average(h => h.LanguageModelLoss);
        var last = history.TakeLast(10).Average(h => h.LanguageModelLoss);
        Assert.True(last < 0.75 * first, $"loss went from {first:F3} to {last:F3}");
        Assert.Contains(history, h => h.ContrastiveLoss is not null);
        Assert.Contains(history, h => h.ValidationNdcg10 is not null);
    }

    [Fact]
    public void Generative_recall_beats_popularity_in_both_tasks()
    {
        var cases = fixture.Split.Test;
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var counts = new float[fixture.Split.Dataset.Catalog.Count];
        foreach (var i in fixture.Split.TrainingInteractions) counts[i.ItemId]++;
        var popularRanks = new int[cases.Count];
        for (var c = 0; c < cases.Count; c++) TargetRanks.FromScores(counts, counts.Length, [cases[c].TargetItemId], popularRanks.AsSpan(c, 1));
        var popularity = new MetricsAccumulator();
        popularity.Add(TaskKind.Recommendation, popularRanks);
        var popularRecall = popularity.Compute(TaskKind.Recommendation).Get(RankingMetric.Recall, 10);
        foreach (var task in new[] { TaskKind.Recommendation, TaskKind.Search })
        {
            var acc = new MetricsAccumulator();
            acc.Add(task, GenSREvaluator.RankFull(inference, cases, task, 20, 64));
            var recall = acc.Compute(task).Get(RankingMetric.Recall, 10);
            Assert.True(recall > popularRecall + 0.05 && recall > 1.3 * popularRecall,
                $"{task}: GenSR Recall@10 {recall:F4} vs popularity {popularRecall:F4}");
        }
    }

    [Fact]
    public void Pointwise_scores_are_probabilities_of_yes_and_independent_of_batch_composition()
    {
        // Pointwise quality is measured by the evaluation harness (sampled protocol); a small backbone trained from
        // scratch for a few epochs learns it far more slowly than generative retrieval, so this checks the mechanics.
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var c = fixture.Split.Test[5];
        var candidates = new[] { c.TargetItemId, 0, 1, 2, 3, 4, 5, 6 };
        var requests = candidates.Select(item => GenSREvaluator.ToRequest(c, TaskKind.Search, item)).ToArray();
        var together = inference.ScorePointwise(requests);
        Assert.All(together, s => Assert.True(s <= 0 && s > -50, $"log P(Yes) {s}"));
        for (var i = 0; i < requests.Length; i++)
            Assert.Equal(together[i], inference.ScorePointwise([requests[i]])[0], 4);

        var plan = new GenSRTrainer(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys, fixture.Options).PlanEpoch(fixture.Split, 1);
        var pointwiseRows = plan.SelectMany(b => b).Where(r => r.IsPointwise).ToArray();
        var share = (double)pointwiseRows.Length / plan.SelectMany(b => b).Count(r => !r.IsPointwise);
        Assert.InRange(share, fixture.Options.PointwiseFraction - 0.05, fixture.Options.PointwiseFraction + 0.05);
        Assert.InRange(pointwiseRows.Count(r => r.Label == true) / (double)pointwiseRows.Length, 0.4, 0.6);
        Assert.All(pointwiseRows.Where(r => r.Label == false), r => Assert.NotEqual(r.TargetItem, r.Candidate));
    }

    [Fact]
    public void Checkpoint_round_trip_gives_identical_scores()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-ckpt-{Guid.NewGuid():N}");
        try
        {
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
            Assert.False(Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(folder) + ".tmp-*").Any());
            var requestCase = fixture.Split.Test[3];
            var candidates = new[] { requestCase.TargetItemId, 1, 2, 3, 4 };
            using var original = new GenSRRecommender(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
            using var loaded = GenSRRecommender.Load(folder, TorchSharp.torch.CPU);
            foreach (var scoring in new[] { CandidateScoring.Pointwise, CandidateScoring.Generative })
            {
                var a = original.ScoreCandidates(requestCase.History, TaskKind.Search, requestCase.Query, candidates, scoring);
                var b = loaded.ScoreCandidates(requestCase.History, TaskKind.Search, requestCase.Query, candidates, scoring);
                Assert.Equal(a.Select(s => (s.ItemId, s.Score)), b.Select(s => (s.ItemId, s.Score)));
            }

            Assert.Equal(original.Recommend(requestCase.History, 10).Select(r => r.ItemId), loaded.Recommend(requestCase.History, 10).Select(r => r.ItemId));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Corrupted_checkpoint_reports_every_mismatch()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-bad-{Guid.NewGuid():N}");
        try
        {
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
            var files = GenSRCheckpoint.ResolveFolder(folder);
            var weights = global::GenSR.Core.SafeTensorsFile.Load(Path.Combine(files, GenSRCheckpoint.WeightsFileName));
            var removed = weights.Keys.First(k => k.StartsWith("backbone.encoder", StringComparison.Ordinal));
            weights.Remove(removed);
            weights["unexpected.weight"] = TorchSharp.torch.zeros(2);
            global::GenSR.Core.SafeTensorsFile.Save(Path.Combine(files, GenSRCheckpoint.WeightsFileName), weights);
            // The manifest's SHA-256 catches the edit first ...
            var changed = Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder));
            Assert.Contains("SHA-256", changed.Message);
            // ... and without it (a checkpoint from before the hash) every mismatch is listed.
            var manifestPath = Path.Combine(files, GenSRCheckpoint.ManifestFileName);
            var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
            manifest.Remove("weights_sha256");
            File.WriteAllText(manifestPath, manifest.ToJsonString());
            var e = Assert.Throws<WeightsMismatchException>(() => GenSRCheckpoint.Load(folder));
            Assert.Contains(e.Problems, p => p.Contains(removed));
            Assert.Contains(e.Problems, p => p.Contains("unexpected.weight"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Recommender_is_safe_from_several_threads()
    {
        using var recommender = new GenSRRecommender(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
        var cases = fixture.Split.Test.Take(8).ToArray();
        var expected = cases.Select(c => recommender.Search(c.History, c.Query, 5).Select(r => r.ItemId).ToArray()).ToArray();
        var results = new int[cases.Length][];
        Parallel.For(0, cases.Length * 3, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var c = cases[i % cases.Length];
            var got = recommender.Search(c.History, c.Query, 5).Select(r => r.ItemId).ToArray();
            Assert.Equal(expected[i % cases.Length], got);
            results[i % cases.Length] = got;
        });
        Assert.All(results, r => Assert.Equal(5, r.Length));
    }

    [Fact]
    public void Recommender_handles_empty_histories_and_rejects_bad_input_clearly()
    {
        using var recommender = new GenSRRecommender(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
        var coldStart = recommender.Recommend([], 5);
        Assert.Equal(5, coldStart.Select(r => r.ItemId).Distinct().Count());
        var unknown = Assert.Throws<ArgumentException>(() => recommender.Recommend([SrEvent.Recommendation(0, 99_999)], 5));
        Assert.Contains("99999", unknown.Message);
        Assert.Throws<ArgumentException>(() => recommender.Search([], " ", 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend([], 0));
        var key = Assert.Throws<KeyNotFoundException>(() => recommender.ItemId("no-such-item"));
        Assert.Contains("no-such-item", key.Message);
    }

    [Fact]
    public void Training_wrote_best_and_last_checkpoints_and_resumes()
    {
        Assert.True(GenSRCheckpoint.Exists(Path.Combine(fixture.CheckpointFolder, "best")));
        Assert.True(File.Exists(Path.Combine(GenSRCheckpoint.ResolveFolder(Path.Combine(fixture.CheckpointFolder, "last")), "optimizer.bin")));
        Assert.Contains(fixture.Result.History, h => h.GradientConflict is double g && g >= -1 && g <= 1);

        using var checkpoint = GenSRCheckpoint.Load(Path.Combine(fixture.CheckpointFolder, "last"));
        var resumed = new GenSRTrainer(checkpoint.Model, checkpoint.Builder, checkpoint.ItemKeys, fixture.Options with
        {
            Epochs = fixture.Result.Epochs + 1,
            ResumeFrom = Path.Combine(fixture.CheckpointFolder, "last"),
            CheckpointFolder = null,
            ValidationCases = 20,
        }).Train(fixture.Split);
        Assert.True(resumed.Steps > fixture.Result.Steps, $"resumed run ended at step {resumed.Steps}, the first at {fixture.Result.Steps}");
        Assert.Equal(fixture.Result.Steps + 1, resumed.History[0].Step);
    }

    [Fact]
    public void A_damaged_optimizer_state_is_named_on_resume()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"gensr-resume-{Guid.NewGuid():N}");
        try
        {
            using (var last = GenSRCheckpoint.Load(Path.Combine(fixture.CheckpointFolder, "last")))
                GenSRCheckpoint.Save(copy, last.Model, last.Builder, last.ItemKeys, last.Extra,
                    new Dictionary<string, Action<string>> { ["optimizer.bin"] = path => File.WriteAllBytes(path, [1, 2, 3, 4, 5]) });
            using var checkpoint = GenSRCheckpoint.Load(copy);
            var trainer = new GenSRTrainer(checkpoint.Model, checkpoint.Builder, checkpoint.ItemKeys, fixture.Options with { ResumeFrom = copy, CheckpointFolder = null });
            var e = Assert.Throws<InvalidDataException>(() => trainer.Train(fixture.Split));
            Assert.Contains("optimizer.bin", e.Message);
        }
        finally
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, true);
        }
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var checkpoint = GenSRCheckpoint.Load(Path.Combine(fixture.CheckpointFolder, "best"));
        using var cancel = new CancellationTokenSource();
        var trainer = new GenSRTrainer(checkpoint.Model, checkpoint.Builder, checkpoint.ItemKeys, fixture.Options with { CheckpointFolder = null, GradientConflictEvery = 0 });
        var steps = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(fixture.Split, new SynchronousProgress<TrainingProgress>(p => { if (++steps == 2) cancel.Cancel(); }), cancel.Token));
        Assert.Equal(2, steps);
    }
}
