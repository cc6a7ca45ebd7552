using GenSR.Core.Data;
using GenSR.Core.Data.Splits;
using GenSR.Core.Demo;
using GenSR.Core.Metrics;
using GenSR.Core.Runtime;
using GenSR.Evaluation.Harness;
using GenSR.Evaluation.Systems;
using GenSR.Unify.Inference;
using GenSR.Unify.Pipeline;
using GenSR.Unify.Training;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Systems;

/// <summary>A trained GenSR model ranked through the harness: the same numbers as the trainer's own validation.</summary>
public sealed class GenSRSystemTests
{
    [Fact]
    public void A_trained_model_ranks_through_the_harness_exactly_as_the_trainer_validates_and_stays_with_its_owner()
    {
        TorchRuntime.SetThreads(1);
        var split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 5 }));
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = ComputeDevice.Cpu, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        using var model = prepared.Model;
        var options = new GenSRTrainingOptions { BatchSize = 16, MaxSteps = 40, WarmupSteps = 5, LearningRate = 3e-3, ValidationCases = null };
        var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, options);
        trainer.Train(split);

        using var inference = new GenSRInference(model, prepared.Builder);
        var own = trainer.Validate(inference, split.Validation, split);
        using (var system = GenSRSystem.FromTrained("GenSR", model, prepared.Builder))
        {
            Assert.Same(SystemTrainingResult.NotTrained, system.Train(split, new EvaluationContext(torch.CPU, 1)));
            var harness = ProtocolEvaluator.Evaluate(system, split, split.Validation, EvaluationProtocol.FullRanking, new RankingOptions());
            foreach (var metrics in harness.Tasks)
                Assert.Equal(own[metrics.Task.ToString()], metrics["NDCG@10"], 10);
            Assert.True(own.Values.Any(v => v > 0), "the model found no validation target at all; the comparison would prove nothing");
            var sampled = ProtocolEvaluator.Evaluate(system, split, split.Test, EvaluationProtocol.Sampled, new RankingOptions { Sampled = new SampledCandidatesOptions { NegativeCount = 30 } });
            Assert.All(sampled.Tasks, m => Assert.InRange(m["NDCG@10"], 0.0, 1.0));
        }

        // Disposing the system left the caller's model usable.
        Assert.NotEmpty(inference.Generate([new GenSR.Unify.Model.GenSRRequest(split.Test[0].History, TaskKind.Recommendation)], 5, 20)[0]);
    }
}
