using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// One GenSR model trained end to end (LightGCN → identifiers → unified model) on a small demo dataset, shared by the
/// end-to-end tests so the training cost is paid once.
/// </summary>
public sealed class TrainedDemoFixture : IDisposable
{
    public TrainedDemoFixture()
    {
        TorchRuntime.SetThreads(1);
        var dataset = DemoDataset.Generate(new DemoDatasetOptions { Users = 400, Items = 150, Seed = 7 });
        Split = LeaveOneOutSplit.Create(dataset);
        Prepared = GenSRPipeline.Prepare(Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU,
            ModelDimension = 64,
            Layers = 1,
            PromptHistoryItems = 8,
            CollaborativeTraining = new() { LearningRate = 1e-2, MaxEpochs = 60, EvaluateEvery = 10, Patience = 2 },
        });
        CheckpointFolder = Path.Combine(Path.GetTempPath(), $"gensr-e2e-{Guid.NewGuid():N}");
        Options = new GenSRTrainingOptions
        {
            Epochs = 3,
            BatchSize = 64,
            LearningRate = 3e-3,
            WarmupSteps = 20,
            ValidationCases = 150,
            PointwiseFraction = 0.3,
            CheckpointFolder = CheckpointFolder,
            GradientConflictEvery = 25,
        };
        var trainer = new GenSRTrainer(Prepared.Model, Prepared.Builder, Prepared.ItemKeys, Options);
        Result = trainer.Train(Split);
    }

    public DatasetSplit Split { get; }

    public GenSRPrepared Prepared { get; }

    public GenSRTrainingOptions Options { get; }

    public GenSRTrainingResult Result { get; }

    public string CheckpointFolder { get; }

    public void Dispose()
    {
        Prepared.Model.Dispose();
        if (Directory.Exists(CheckpointFolder)) Directory.Delete(CheckpointFolder, recursive: true);
    }
}
