using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>An untrained demo model whose dense head adds the projected user soft tokens (<see cref="GenSRModelConfig.DenseSoftTokens"/>).</summary>
public sealed class DenseSoftTokenFixture : IDisposable
{
    public DenseSoftTokenFixture()
    {
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 6 }));
        Prepared = TinyModel.Prepare(Split, denseDimension: 16, o => o with { DenseSoftTokens = true });
    }

    public DatasetSplit Split { get; }
    public GenSRPrepared Prepared { get; }

    public void Dispose()
    {
        Prepared.NewItems?.Dispose();
        Prepared.Model.Dispose();
    }
}

/// <summary><see cref="GenSRModelConfig.DenseSoftTokens"/>: the history views' user vectors reach the dense score directly.</summary>
public sealed class DenseSoftTokenTests(DenseSoftTokenFixture fixture) : IClassFixture<DenseSoftTokenFixture>
{
    private const string Projection = "dense_soft_proj.weight";

    private static TorchSharp.Modules.Parameter Weight(GenSRModel model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    private GenSRRequest[] Requests() => fixture.Split.Validation.Take(3)
        .SelectMany(c => new[] { new GenSRRequest(c.History, TaskKind.Recommendation), new GenSRRequest(c.History, TaskKind.Search, c.Query) })
        .ToArray();

    [Fact]
    public void The_dense_user_vector_adds_exactly_the_projected_collaborative_and_semantic_soft_tokens()
    {
        var model = fixture.Prepared.Model;
        var weight = Weight(model, Projection);
        Assert.Equal([16L, 2 * 32L], weight.shape);
        using var noGrad = no_grad();
        using var batch = fixture.Prepared.Builder.Build(Requests(), CPU, withLabels: false);
        using var encoding = model.Encode(batch);
        using var withTokens = model.DenseUser(encoding);
        using var saved = weight.clone();
        try
        {
            weight.zero_();
            using var without = model.DenseUser(encoding);
            using var soft = cat([encoding.CollaborativeUser!, encoding.SemanticUser!], 1);
            using var expected = nn.functional.linear(soft, saved);
            using var term = withTokens.sub(without);
            Assert.True(term.allclose(expected, rtol: 1e-4, atol: 1e-5), "the difference is not W · [cf_user; sem_user]");
            Assert.True(expected.abs().max().item<float>() > 1e-3f, "the soft-token term is too small to tell");
        }
        finally
        {
            weight.copy_(saved);
        }
    }

    [Fact]
    public void Training_the_projection_alone_lowers_the_dense_loss_on_a_batch()
    {
        var prepared = fixture.Prepared;
        var model = prepared.Model;
        var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { IndexingFraction = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(32).ToArray();
        using var batch = prepared.Builder.Build(rows, CPU, withLabels: true);
        var weight = Weight(model, Projection);
        using var saved = weight.clone();
        var losses = new List<float>();
        try
        {
            using var optimizer = optim.Adam([weight], lr: 0.05);
            for (var step = 0; step < 25; step++)
            {
                optimizer.zero_grad();
                using var scope = NewDisposeScope();
                var scores = model.DenseScores(model.Encode(batch));
                var loss = nn.functional.cross_entropy(scores, batch.TargetItems!);
                losses.Add(loss.item<float>());
                loss.backward();
                optimizer.step();
            }
        }
        finally
        {
            using (no_grad()) weight.copy_(saved);
            model.zero_grad();
        }

        // Only the projection moved: what it learned came through the soft tokens.
        Assert.True(losses[^1] < 0.8f * losses[0], $"dense loss {losses[0]:F3} -> {losses[^1]:F3}");
    }

    [Fact]
    public void The_option_leaves_every_other_initial_weight_as_it_was_and_needs_a_dense_head_and_a_view()
    {
        var model = fixture.Prepared.Model;
        var config = model.Config;
        var cf = model.named_buffers().Single(b => b.name == GenSRModel.ItemCollaborativeName).buffer;
        var titles = model.named_buffers().Single(b => b.name == GenSRModel.ItemTitleIdsName).buffer;
        var pad = fixture.Prepared.Builder.Vocabulary.PadId;
        using var on = new GenSRModel(config, cf, titles, pad, CPU, seed: 7);
        using var off = new GenSRModel(config with { DenseSoftTokens = false }, cf, titles, pad, CPU, seed: 7);
        var offParameters = off.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var onParameters = on.named_parameters().ToArray();
        Assert.Equal(offParameters.Count + 1, onParameters.Length);
        foreach (var (name, parameter) in onParameters.Where(p => p.name != Projection))
            Assert.True(parameter.allclose(offParameters[name], rtol: 0, atol: 0), $"{name} differs with the option on");

        var noDense = Assert.Throws<ArgumentException>(() => (config with { DenseDimension = 0 }).Validate());
        Assert.Contains("DenseSoftTokens", noDense.Message);
        var noView = Assert.Throws<ArgumentException>(() => (config with { UseCollaborativeView = false, UseSemanticView = false }).Validate());
        Assert.Contains("DenseSoftTokens", noView.Message);

        // One view: the projection reads that view's token only.
        using var collaborativeOnly = new GenSRModel(config with { UseSemanticView = false }, cf, titles, pad, CPU, seed: 7);
        Assert.Equal([16L, 32L], collaborativeOnly.named_parameters().Single(p => p.name == Projection).parameter.shape);
    }

    [Fact]
    public void A_checkpoint_keeps_the_option_and_the_dense_scores_and_an_older_config_reads_it_as_off()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-dense-soft-tokens-{Guid.NewGuid():N}");
        try
        {
            var requests = Requests();
            using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
            var original = inference.ScoreCatalog(requests, generative: false).Dense!;
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);

            using var loaded = GenSRCheckpoint.Load(folder);
            Assert.True(loaded.Model.Config.DenseSoftTokens);
            using var loadedInference = new GenSRInference(loaded.Model, loaded.Builder);
            Assert.Equal(original, loadedInference.ScoreCatalog(requests, generative: false).Dense!);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }

        var json = fixture.Prepared.Model.Config.ToJson();
        Assert.True(json["dense_soft_tokens"]!.GetValue<bool>());
        json.Remove("dense_soft_tokens");
        Assert.False(GenSRModelConfig.FromJson(json).DenseSoftTokens);
        Assert.False((fixture.Prepared.Model.Config with { DenseSoftTokens = false }).ToJson().ContainsKey("dense_soft_tokens"));
    }
}
