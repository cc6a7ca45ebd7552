using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>Starting the unified model from a Hugging Face T5 folder (the tiny parity fixture stands in for flan-t5).</summary>
public sealed class PretrainedBackboneTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "T5", "Fixtures", "t5-gated");

    [Fact]
    public void Pipeline_starts_from_a_pretrained_t5_keeps_its_weights_and_round_trips_with_its_sentencepiece_vocabulary()
    {
        TorchRuntime.SetThreads(1);
        var dataset = DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 3 });
        var split = LeaveOneOutSplit.Create(dataset);
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU,
            PretrainedBackbone = Fixture,
            PromptHistoryItems = 3,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        using var model = prepared.Model;
        var vocabulary = Assert.IsType<PretrainedTokenizerVocabulary>(prepared.Builder.Vocabulary);
        using var original = T5Checkpoint.Load(Fixture);
        Assert.Equal(vocabulary.Size, model.Config.Backbone.VocabSize);

        // Every pretrained tensor is carried over unchanged (the shared embedding's original rows included).
        var loaded = model.Backbone.state_dict();
        foreach (var (name, tensor) in original.Model.state_dict())
        {
            var mine = loaded[name];
            if (name == "shared.weight")
                Assert.True(mine.narrow(0, 0, tensor.shape[0]).allclose(tensor), "the original vocabulary rows of shared.weight changed");
            else
                Assert.True(mine.equal(tensor).all().item<bool>(), $"{name} differs from the pretrained weights");
        }

        // One training epoch runs, and a checkpoint with the SentencePiece vocabulary reloads to identical scores.
        new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { Epochs = 1, BatchSize = 32, ValidationCases = 20 }).Train(split);
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-pretrained-{Guid.NewGuid():N}");
        try
        {
            GenSRCheckpoint.Save(folder, model, prepared.Builder, prepared.ItemKeys);
            Assert.True(File.Exists(Path.Combine(GenSRCheckpoint.ResolveFolder(folder), GenSRCheckpoint.SentencePieceFileName)));
            using var a = new GenSRRecommender(model, prepared.Builder, prepared.ItemKeys);
            using var b = GenSRRecommender.Load(folder, TorchSharp.torch.CPU);
            var c = split.Test[0];
            Assert.Equal(a.Search(c.History, c.Query, 5).Select(r => (r.ItemId, r.Score)), b.Search(c.History, c.Query, 5).Select(r => (r.ItemId, r.Score)));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }
}
