using System.Text.Json.Nodes;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>A small model whose semantic view reads frozen item vectors (LSA's, no encoder given).</summary>
public sealed class ItemVectorViewFixture : IDisposable
{
    public ItemVectorViewFixture()
    {
        TorchRuntime.SetThreads(1);
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 200, Items = 100, Seed = 11 }));
        Prepared = GenSRPipeline.Prepare(Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU,
            ModelDimension = 32,
            Layers = 1,
            PromptHistoryItems = 4,
            TitleTokens = 4,
            SemanticViewInput = SemanticViewInput.ItemVectors,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
    }

    public DatasetSplit Split { get; }

    public GenSRPrepared Prepared { get; }

    public void Dispose() => Prepared.Model.Dispose();
}

/// <summary>The semantic history view over frozen item vectors (<see cref="SemanticViewInput.ItemVectors"/>).</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class SemanticViewVectorTests(ItemVectorViewFixture fixture) : IClassFixture<ItemVectorViewFixture>
{
    private IReadOnlyList<GenSRRequest> Requests(int count) =>
        fixture.Split.Validation.Take(count).SelectMany(c => new[] { new GenSRRequest(c.History, TaskKind.Recommendation), new GenSRRequest(c.History, TaskKind.Search, c.Query) }).ToArray();

    [Fact]
    public void To_converts_the_item_tables_with_the_rest_of_the_model()
    {
        var model = fixture.Prepared.Model;
        Tensor Registered() => model.named_buffers().Single(b => b.name == GenSRModel.ItemTextVectorsName).buffer;
        try
        {
            model.to(ScalarType.Float64);
            Assert.Equal(ScalarType.Float64, model.ItemTextVectors!.dtype);
            Assert.Equal(Registered().Handle, model.ItemTextVectors.Handle);
        }
        finally
        {
            model.to(ScalarType.Float32);
        }
        Assert.Equal(ScalarType.Float32, model.ItemTextVectors!.dtype);
        Assert.Equal(Registered().Handle, model.ItemTextVectors.Handle);
    }

    [Fact]
    public void The_pipeline_gives_the_view_the_identifiers_semantic_vectors_and_one_position_per_item()
    {
        var model = fixture.Prepared.Model;
        var semantic = fixture.Prepared.Semantic;
        Assert.Equal(SemanticViewInput.ItemVectors, model.Config.SemanticViewInput);
        Assert.Equal(semantic.Dimension, model.Config.ItemTextVectorDimension);
        Assert.False(model.Config.HasQueryVectors);
        using (var expected = semantic.ToTensor())
            Assert.Equal(expected.data<float>().ToArray(), model.ItemTextVectors!.data<float>().ToArray());
        Assert.Equal(1, model.SemanticEncoder!.Options.MaxTokensPerItem);
        var projection = model.named_parameters().Single(p => p.name == "sem_encoder.input_projection.weight").parameter;
        Assert.Equal([32L, semantic.Dimension], projection.shape);
        Assert.Contains($"frozen {semantic.Dimension}-d item vectors", fixture.Prepared.Describe());
    }

    [Fact]
    public void The_view_reads_the_history_items_vectors_and_not_their_titles()
    {
        var model = fixture.Prepared.Model;
        model.eval();
        var requests = Requests(4);
        using var batch = fixture.Prepared.Builder.Build(requests, CPU, withLabels: false);
        float[] SemanticUser()
        {
            using var _ = no_grad();
            using var encoding = model.Encode(batch);
            return encoding.SemanticUser!.data<float>().ToArray();
        }

        var before = SemanticUser();
        var vectors = model.ItemTextVectors!;
        var titles = model.named_buffers().Single(b => b.name == GenSRModel.ItemTitleIdsName).buffer;
        using var savedVectors = vectors.clone();
        using var savedTitles = titles.clone();
        try
        {
            using (no_grad()) titles.fill_(fixture.Prepared.Builder.Vocabulary.UnknownId);
            Assert.Equal(before, SemanticUser());

            var item = requests[0].History[^1].ItemId;
            using (no_grad()) vectors[item].mul_(-1);
            Assert.NotEqual(before, SemanticUser());
        }
        finally
        {
            using (no_grad())
            {
                vectors.copy_(savedVectors);
                titles.copy_(savedTitles);
            }
        }
    }

    [Fact]
    public void A_checkpoint_keeps_the_vector_view_and_gives_the_same_scores()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-vector-view-{Guid.NewGuid():N}");
        try
        {
            fixture.Prepared.Model.eval();
            var requests = Requests(3);
            using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
            var original = inference.ScoreCatalog(requests, generative: true, dense: false).Generative!;
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
            using var loaded = GenSRCheckpoint.Load(folder);
            Assert.Equal(fixture.Prepared.Model.Config, loaded.Model.Config);
            using var loadedInference = new GenSRInference(loaded.Model, loaded.Builder);
            Assert.Equal(original, loadedInference.ScoreCatalog(requests, generative: true, dense: false).Generative!);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Training_with_the_vector_view_lowers_the_loss_and_trains_the_views_projection()
    {
        var prepared = GenSRPipeline.Prepare(fixture.Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4, Seed = 5,
            SemanticViewInput = SemanticViewInput.ItemVectors,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        using var model = prepared.Model;
        var projection = model.named_parameters().Single(p => p.name == "sem_encoder.input_projection.weight").parameter;
        using var initial = projection.detach().clone();
        var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions
        {
            Epochs = 3, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 5, ValidationCases = 30, Seed = 5,
        });
        var history = trainer.Train(fixture.Split).History;
        var first = history.Take(5).Average(h => h.LanguageModelLoss);
        var last = history.TakeLast(5).Average(h => h.LanguageModelLoss);
        Assert.True(last < 0.8 * first, $"loss went from {first:F3} to {last:F3}");
        Assert.False(projection.allclose(initial), "the view's input projection did not change");
    }

    [Fact]
    public void The_config_round_trips_and_refuses_inconsistent_vector_settings()
    {
        var backbone = T5Config.Small(100, 32, 1, 0.1);
        var config = new GenSRModelConfig { Backbone = backbone, ItemCount = 10, ItemTextVectorDimension = 24, SemanticViewInput = SemanticViewInput.ItemVectors }.Validate();
        Assert.Equal(config, GenSRModelConfig.FromJson(config.ToJson()));

        // A config written before the field: the table is the query vectors' width, and the view reads titles.
        var old = new GenSRModelConfig { Backbone = backbone, ItemCount = 10, QueryVectorDimension = 12 }.ToJson();
        old.Remove("item_text_vector_dimension");
        old.Remove("semantic_view_input");
        var read = GenSRModelConfig.FromJson(old);
        Assert.Equal(12, read.ItemTextVectorDimension);
        Assert.Equal(SemanticViewInput.TitleTokens, read.SemanticViewInput);

        Assert.Throws<ArgumentException>(() => new GenSRModelConfig { Backbone = backbone, ItemCount = 10, SemanticViewInput = SemanticViewInput.ItemVectors }.Validate());
        Assert.Throws<ArgumentException>(() => new GenSRModelConfig { Backbone = backbone, ItemCount = 10, QueryVectorDimension = 12, ItemTextVectorDimension = 24 }.Validate());
        var bad = config.ToJson();
        bad["semantic_view_input"] = "pictures";
        var error = Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(bad, "gensr.json"));
        Assert.Contains("semantic_view_input", error.Message);
        Assert.Contains("pictures", error.Message);
    }
}
