using System.Text.Json.Nodes;
using GenSR.Core;
using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>A small untrained model with a dense head, shared by the catalogue-scoring tests.</summary>
public sealed class DenseModelFixture : IDisposable
{
    public DenseModelFixture()
    {
        TorchRuntime.SetThreads(1);
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 5 }));
        Prepared = GenSRPipeline.Prepare(Split, PipelineOptions);
    }

    /// <summary>The fixture model's pipeline options, for tests that need a fresh model of the same kind.</summary>
    public static GenSRPipelineOptions PipelineOptions => new()
    {
        Device = TorchSharp.torch.CPU,
        ModelDimension = 32,
        Layers = 1,
        PromptHistoryItems = 4,
        TitleTokens = 4,
        DenseDimension = 16,
        CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
    };

    public DatasetSplit Split { get; }

    public GenSRPrepared Prepared { get; }

    public GenSRRequest[] Requests(int count) =>
        Split.Validation.Take(count).SelectMany(c => new[]
        {
            new GenSRRequest(c.History, TaskKind.Recommendation),
            new GenSRRequest(c.History, TaskKind.Search, c.Query),
        }).ToArray();

    public void Dispose() => Prepared.Model.Dispose();
}

/// <summary>Exact catalogue scores, the dense head and their fusion.</summary>
public sealed class CatalogScoringTests(DenseModelFixture fixture) : IClassFixture<DenseModelFixture>
{
    [Fact]
    public void Exact_vocabulary_scores_equal_the_summed_log_probabilities_of_every_identifier()
    {
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var requests = fixture.Requests(3);
        var items = fixture.Prepared.Model.Config.ItemCount;
        var exact = inference.ScoreCatalog(requests, dense: false, normalization: CatalogNormalization.Vocabulary);
        var all = Enumerable.Range(0, items).ToArray();
        var teacherForced = inference.ScoreGenerative(requests, requests.Select(_ => (IReadOnlyList<int>)all).ToArray());
        Assert.Null(exact.Dense);
        for (var r = 0; r < requests.Length; r++)
            for (var i = 0; i < items; i++)
                Assert.True(Math.Abs(exact.Generative![r * items + i] - teacherForced[r][i]) < 2e-4,
                    $"request {r}, item {i}: exact {exact.Generative[r * items + i]}, teacher-forced {teacherForced[r][i]}");
    }

    [Fact]
    public void Trie_normalised_scores_are_a_distribution_over_the_catalogue_and_cost_fewer_decoder_rows()
    {
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var requests = fixture.Requests(2);
        var items = fixture.Prepared.Model.Config.ItemCount;
        var scores = inference.ScoreCatalog(requests, dense: false).Generative!;
        for (var r = 0; r < requests.Length; r++)
            Assert.Equal(1.0, scores.Skip(r * items).Take(items).Sum(s => Math.Exp(s)), 3);
        var trie = new CatalogScorer(inference.Trie, CatalogNormalization.Trie);
        var vocabulary = new CatalogScorer(inference.Trie, CatalogNormalization.Vocabulary);
        Assert.True(trie.RowsPerQuery < vocabulary.RowsPerQuery, $"trie {trie.RowsPerQuery} rows, vocabulary {vocabulary.RowsPerQuery}");
    }

    [Fact]
    public void The_T5_decoder_scores_only_the_children_and_matches_the_full_vocabulary_path()
    {
        var model = fixture.Prepared.Model;
        using var inference = new GenSRInference(model, fixture.Prepared.Builder);
        model.eval();
        using var noGrad = no_grad();
        using var batch = fixture.Prepared.Builder.Build(fixture.Requests(2), model.Device, withLabels: false);
        using var encoding = model.Encode(batch);
        var scorer = new CatalogScorer(inference.Trie, CatalogNormalization.Trie);
        using var decoder = model.Backbone.CreateStepDecoder(encoding.Hidden, encoding.AttentionMask);
        Assert.IsAssignableFrom<global::GenSR.Decoding.ICandidateStepDecoder>(decoder);
        using var children = scorer.Score(decoder);
        using var full = scorer.Score(new StepOnly(decoder));
        var (x, y) = (children.data<float>().ToArray(), full.data<float>().ToArray());
        for (var i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) < 1e-4, $"{x[i]} vs {y[i]} at {i}");
    }

    /// <summary>Only <see cref="global::GenSR.Decoding.IStepDecoder"/>: forces the full-vocabulary path.</summary>
    private sealed class StepOnly(global::GenSR.Decoding.IStepDecoder inner) : global::GenSR.Decoding.IStepDecoder
    {
        public int BatchSize => inner.BatchSize;
        public int VocabularySize => inner.VocabularySize;
        public long StartTokenId => inner.StartTokenId;
        public Device Device => inner.Device;
        public void Start(int beams) => inner.Start(beams);
        public Tensor Step(Tensor lastTokens) => inner.Step(lastTokens);
        public void Reorder(Tensor parentHypotheses) => inner.Reorder(parentHypotheses);
        public void Dispose() { }
    }

    [Fact]
    public void Fusion_with_weight_zero_is_the_generative_ranking_and_otherwise_adds_the_weighted_dense_score()
    {
        using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
        var parts = inference.ScoreCatalog(fixture.Requests(2));
        Assert.Equal(parts.Generative, parts.Fused(0));
        var fused = parts.Fused(0.5);
        for (var i = 0; i < fused.Length; i++) Assert.Equal(parts.Generative![i] + 0.5f * parts.Dense![i], fused[i], 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => parts.Fused(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => parts.Fused(double.NaN));
        Assert.Equal(parts.Dense, parts.Fused(double.PositiveInfinity));
    }

    [Fact]
    public void Dense_scores_in_one_pass_equal_the_models_dense_head()
    {
        var model = fixture.Prepared.Model;
        using var inference = new GenSRInference(model, fixture.Prepared.Builder);
        var requests = fixture.Requests(2);
        var parts = inference.ScoreCatalog(requests, generative: false);
        Assert.Null(parts.Generative);
        model.eval();
        using var noGrad = no_grad();
        using var batch = fixture.Prepared.Builder.Build(requests, model.Device, withLabels: false);
        using var encoding = model.Encode(batch);
        using var direct = model.DenseScores(encoding);
        Assert.Equal(new long[] { requests.Length, model.Config.ItemCount }, direct.shape);
        var expected = direct.data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], parts.Dense![i], 4);
    }

    [Fact]
    public void The_trainers_loss_includes_the_dense_cross_entropy_and_fitting_it_lowers_it()
    {
        // A copy of the fixture's model, so that training here does not change the other tests' model.
        var prepared = fixture.Prepared;
        using var model = new GenSRModel(prepared.Model.Config, prepared.Model.ItemCollaborative, TitleIds(prepared.Model), prepared.Builder.Vocabulary.PadId);
        foreach (var (name, tensor) in prepared.Model.state_dict())
            using (no_grad()) model.state_dict()[name].copy_(tensor);
        var options = new GenSRTrainingOptions { IndexingFraction = 0 };
        var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, options);
        var withoutDense = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, options with { DenseWeight = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(48).ToArray();
        using var batch = prepared.Builder.Build(rows, model.Device, withLabels: true);
        Assert.Equal(rows.Select(r => (long)r.TargetItem!.Value), batch.TargetItems!.data<long>().ToArray());
        double DenseLoss()
        {
            model.eval();
            using var noGrad = no_grad();
            using var output = model.Forward(batch);
            using var loss = nn.functional.cross_entropy(output.DenseScores!, batch.TargetItems!);
            return loss.item<float>();
        }

        var before = DenseLoss();
        Assert.Equal(Math.Log(model.Config.ItemCount), before, 0); // untrained: about uniform over the catalogue
        model.eval(); // no dropout, so the two totals differ only by the dense term
        using (no_grad())
        {
            var (total, _, _) = trainer.ComputeLoss(batch);
            var (lmOnly, _, _) = withoutDense.ComputeLoss(batch);
            using (total) using (lmOnly) Assert.Equal(before, total.item<float>() - lmOnly.item<float>(), 3);
        }

        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
        for (var step = 0; step < 30; step++)
        {
            optimizer.zero_grad();
            var (total, _, _) = trainer.ComputeLoss(batch);
            using (total) total.backward();
            optimizer.step();
        }

        var after = DenseLoss();
        Assert.True(after < 0.5 * before, $"dense cross-entropy on the fitted rows {before:F3} -> {after:F3}");
    }

    [Fact]
    public void The_dense_head_survives_a_checkpoint_and_old_configs_load_without_one()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-dense-{Guid.NewGuid():N}");
        try
        {
            using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
            var requests = fixture.Requests(1);
            var original = inference.ScoreCatalog(requests, generative: false).Dense!;
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
            using var loaded = GenSRCheckpoint.Load(folder);
            Assert.Equal(16, loaded.Model.Config.DenseDimension);
            using var loadedInference = new GenSRInference(loaded.Model, loaded.Builder);
            Assert.Equal(original, loadedInference.ScoreCatalog(requests, generative: false).Dense!);

            var json = fixture.Prepared.Model.Config.ToJson();
            json.Remove("dense_dimension");
            Assert.False(GenSRModelConfig.FromJson(json).HasDenseHead);
            json["dense_dimension"] = -1;
            Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(json));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_model_without_a_dense_head_refuses_dense_scores()
    {
        var config = fixture.Prepared.Model.Config with { DenseDimension = 0 };
        using var model = new GenSRModel(config, fixture.Prepared.Model.ItemCollaborative, TitleIds(fixture.Prepared.Model), fixture.Prepared.Builder.Vocabulary.PadId);
        using var inference = new GenSRInference(model, fixture.Prepared.Builder);
        var error = Assert.Throws<InvalidOperationException>(() => inference.ScoreCatalog(fixture.Requests(1)));
        Assert.Contains("dense head", error.Message);
        Assert.NotNull(inference.ScoreCatalog(fixture.Requests(1), dense: false).Generative);
    }

    [Fact]
    public void The_facade_ranks_the_catalogue_with_exclusions_and_allow_lists_inside_the_ranking()
    {
        var prepared = fixture.Prepared;
        using var recommender = new GenSRRecommender(prepared.Model, prepared.Builder, prepared.ItemKeys);
        var c = fixture.Split.Validation[0];
        var seen = c.History.Select(e => e.ItemId).ToHashSet();
        var ranking = new GenSRRankingOptions { Mode = GenSRRankingMode.Fused, DenseWeight = 0.5, ExcludeHistory = true };
        var top = recommender.Recommend(c.History, 10, ranking);
        Assert.Equal(10, top.Count);
        Assert.DoesNotContain(top, r => seen.Contains(r.ItemId));
        Assert.Equal(top.OrderByDescending(r => r.Score).Select(r => r.ItemId), top.Select(r => r.ItemId));

        // The same scores as the catalogue pass, and no unseen item scores above the last one returned.
        using var inference = new GenSRInference(prepared.Model, prepared.Builder);
        var fused = inference.ScoreCatalog([new GenSRRequest(c.History, TaskKind.Recommendation)]).Fused(0.5);
        foreach (var r in top) Assert.Equal(fused[r.ItemId], r.Score, 4);
        var unseenBelow = Enumerable.Range(0, fused.Length).Where(i => !seen.Contains(i) && top.All(r => r.ItemId != i));
        Assert.All(unseenBelow, i => Assert.True(fused[i] <= top[^1].Score + 1e-5f));

        // Candidate scores under the same options are the numbers the ranking used.
        var candidates = top.Select(r => r.ItemId).Reverse().ToArray();
        var scored = recommender.ScoreCandidates(c.History, TaskKind.Recommendation, null, candidates, CandidateScoring.Ranking, ranking);
        Assert.Equal(top.Select(r => r.ItemId), scored.Select(r => r.ItemId));

        // An allow-list smaller than k returns only its items; excluded items never appear.
        var allowed = new[] { 3, 5, 7 };
        var search = recommender.Search(c.History, c.Query!, 10, new GenSRRankingOptions { Mode = GenSRRankingMode.Exact, AllowedItems = allowed, ExcludedItems = [5] });
        Assert.Equal(new[] { 3, 7 }, search.Select(r => r.ItemId).Order());

        // Beam search honours the same options inside the search (trie ∧ rules): k unseen items, none excluded.
        var beam = recommender.Recommend(c.History, 10, new GenSRRankingOptions { ExcludeHistory = true, ExcludedItems = [top[0].ItemId] });
        Assert.Equal(10, beam.Count);
        Assert.DoesNotContain(beam, r => seen.Contains(r.ItemId) || r.ItemId == top[0].ItemId);
        var beamSearch = recommender.Search(c.History, c.Query!, 10, new GenSRRankingOptions { AllowedItems = allowed, ExcludedItems = [5] });
        Assert.Equal(new[] { 3, 7 }, beamSearch.Select(r => r.ItemId).Order());
        Assert.Throws<ArgumentException>(() => recommender.Recommend(c.History, 10, new GenSRRankingOptions { AllowedItems = [recommender.ItemCount] }));
        Assert.Throws<ArgumentException>(() => recommender.Recommend(c.History, 10, new GenSRRankingOptions { Mode = GenSRRankingMode.Dense, AllowedItems = [-1] }));
    }

    [Fact]
    public void The_gradient_conflict_probe_mixes_in_the_dense_loss_on_request()
    {
        var prepared = fixture.Prepared;
        var (search, rec) = ProbeRows();
        prepared.Model.eval();
        var lm = global::GenSR.Unify.GradientConflictProbe.Measure(prepared.Model, prepared.Builder, search, rec);
        var lmAgain = global::GenSR.Unify.GradientConflictProbe.Measure(prepared.Model, prepared.Builder, search, rec, denseMix: 0);
        var dense = global::GenSR.Unify.GradientConflictProbe.Measure(prepared.Model, prepared.Builder, search, rec, denseMix: 1);
        Assert.Equal(lm, lmAgain, 6);
        Assert.InRange(dense, -1.0, 1.0);
        Assert.NotEqual(lm, dense, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => global::GenSR.Unify.GradientConflictProbe.Measure(prepared.Model, prepared.Builder, search, rec, denseMix: 1.5));
    }

    [Fact]
    public void The_probe_at_several_dense_mixes_equals_one_probe_per_mix()
    {
        var prepared = fixture.Prepared;
        var (search, rec) = ProbeRows();
        prepared.Model.eval();
        double[] mixes = [0, 0.25, 0.5, 1];
        var together = global::GenSR.Unify.GradientConflictProbe.MeasureByDenseMix(prepared.Model, prepared.Builder, search, rec, mixes);
        Assert.Equal(mixes.Length, together.Length);
        for (var i = 0; i < mixes.Length; i++)
        {
            // The mixed loss's gradient, taken directly, against the mix of the two gradients.
            var alone = global::GenSR.Unify.GradientConflictProbe.Measure(prepared.Model, prepared.Builder, search, rec, denseMix: mixes[i]);
            var direct = DirectCosine(prepared, search, rec, mixes[i]);
            Assert.True(Math.Abs(together[i] - direct) < 1e-4, $"λ = {mixes[i]}: mixed gradients {together[i]}, gradient of the mixed loss {direct}");
            Assert.Equal(alone, together[i], 5);
        }

        Assert.NotEqual(together[0], together[^1], 3);
        Assert.Throws<ArgumentException>(() => global::GenSR.Unify.GradientConflictProbe.MeasureByDenseMix(prepared.Model, prepared.Builder, search, rec, []));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            global::GenSR.Unify.GradientConflictProbe.MeasureByDenseMix(prepared.Model, prepared.Builder, search, rec, [0.5, -0.1]));
    }

    [Fact]
    public void The_trainer_probes_every_dense_mix_from_the_same_batch_and_reports_the_configured_one()
    {
        var prepared = GenSRPipeline.Prepare(fixture.Split, DenseModelFixture.PipelineOptions);
        using var model = prepared.Model;
        var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions
        {
            MaxSteps = 3, BatchSize = 32, GradientConflictEvery = 1, GradientConflictDenseMix = 0.25, ValidationCases = 8,
        });
        var probes = trainer.Train(fixture.Split).History.Where(h => h.GradientConflict is not null).ToArray();
        Assert.NotEmpty(probes);
        foreach (var probe in probes)
        {
            var byMix = probe.GradientConflictByDenseMix!;
            Assert.Equal(new[] { 0, 0.25, 0.5, 1 }, byMix.Keys.Order());
            Assert.Equal(probe.GradientConflict!.Value, byMix[0.25]);
            Assert.All(byMix.Values, v => Assert.InRange(v, -1.0, 1.0));
        }
    }

    /// <summary>Six validation cases as generative search and recommendation rows with their targets, for the probe.</summary>
    private (GenSRRequest[] Search, GenSRRequest[] Recommendation) ProbeRows()
    {
        var c = fixture.Split.Validation.Take(6).ToArray();
        return (c.Select(x => new GenSRRequest(x.History, TaskKind.Search, x.Query, TargetItem: x.TargetItemId)).ToArray(),
                c.Select(x => new GenSRRequest(x.History, TaskKind.Recommendation, TargetItem: x.TargetItemId)).ToArray());
    }

    /// <summary>The probe's cosine computed the plain way: one backward pass of the mixed loss per task.</summary>
    private static double DirectCosine(GenSRPrepared prepared, GenSRRequest[] search, GenSRRequest[] rec, double mix)
    {
        var parameters = prepared.Model.SharedEncoderParameters().Where(p => p.requires_grad).Cast<Tensor>().ToList();
        using var scope = NewDisposeScope();
        Tensor Gradient(GenSRRequest[] rows)
        {
            using var batch = prepared.Builder.Build(rows, prepared.Model.Device, withLabels: true);
            using var output = prepared.Model.Forward(batch);
            var loss = global::GenSR.Unify.T5ForConditionalGeneration.ComputeLoss(output.Logits, batch.Labels!).mul(1 - mix)
                .add(nn.functional.cross_entropy(output.DenseScores!, batch.TargetItems!).mul(mix));
            var grads = autograd.grad([loss], parameters, null, false, false, true);
            return cat(grads.Select((g, i) => (g ?? zeros_like(parameters[i])).flatten()).ToList(), 0);
        }

        var a = Gradient(search);
        var b = Gradient(rec);
        return nn.functional.cosine_similarity(a.unsqueeze(0), b.unsqueeze(0), dim: 1, eps: 1e-12).item<float>();
    }

    private static Tensor TitleIds(GenSRModel model) => model.named_buffers().Single(b => b.name == GenSRModel.ItemTitleIdsName).buffer;
}
