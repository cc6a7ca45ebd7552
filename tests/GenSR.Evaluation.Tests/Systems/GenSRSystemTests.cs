using GenSR.Core;
using GenSR.Unify;
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
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4,
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
        Assert.NotEmpty(inference.Generate([new GenSR.Unify.GenSRRequest(split.Test[0].History, TaskKind.Recommendation)], 5, 20)[0]);
    }
}

/// <summary>GenSR ranked from catalogue scores in the harness: exact, dense and fused, with the dense weight chosen on validation.</summary>
public sealed class GenSRCatalogRankingTests
{
    private static readonly DatasetSplit Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 5 }));

    private static readonly GenSRPipelineOptions Pipeline = new()
    {
        Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4, DenseDimension = 16,
        CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
    };

    [Fact]
    public void Fusion_with_weight_zero_ranks_exactly_as_the_generative_likelihood_and_dense_only_as_the_head()
    {
        TorchRuntime.SetThreads(1);
        var prepared = GenSRPipeline.Prepare(Split, Pipeline);
        using var model = prepared.Model;
        var full = new RankingOptions();
        ProtocolEvaluation Evaluate(GenSRRankingMode ranking, double? weight = null)
        {
            var weights = weight is { } w ? new Dictionary<TaskKind, double> { [TaskKind.Recommendation] = w, [TaskKind.Search] = w } : null;
            using var system = GenSRSystem.FromTrained("GenSR", model, prepared.Builder, ranking: ranking, denseWeights: weights);
            Assert.Equal(RankingMethod.CatalogScores, ProtocolEvaluator.MethodFor(system, EvaluationProtocol.FullRanking));
            return ProtocolEvaluator.Evaluate(system, Split, Split.Validation, EvaluationProtocol.FullRanking, full);
        }

        var exact = Evaluate(GenSRRankingMode.Exact);
        var fusedAtZero = Evaluate(GenSRRankingMode.Fused, 0);
        var dense = Evaluate(GenSRRankingMode.Dense);
        var fusedAtInfinity = Evaluate(GenSRRankingMode.Fused, double.PositiveInfinity);
        foreach (var metric in new[] { "NDCG@10", "Recall@20", "MRR@20" })
            for (var t = 0; t < exact.Tasks.Count; t++)
            {
                Assert.Equal(exact.Tasks[t][metric], fusedAtZero.Tasks[t][metric], 12);
                Assert.Equal(dense.Tasks[t][metric], fusedAtInfinity.Tasks[t][metric], 12);
            }

        using var beam = GenSRSystem.FromTrained("GenSR", model, prepared.Builder);
        Assert.Equal(RankingMethod.GeneratedList, ProtocolEvaluator.MethodFor(beam, EvaluationProtocol.FullRanking));
    }

    [Fact]
    public void Fused_training_chooses_a_dense_weight_per_task_on_validation_and_the_test_uses_it()
    {
        TorchRuntime.SetThreads(1);
        var training = new GenSRTrainingOptions { BatchSize = 16, MaxSteps = 30, WarmupSteps = 5, LearningRate = 3e-3, ValidateEvery = 15, IndexingFraction = 0 };
        using var system = new GenSRSystem(new GenSRSystemOptions("GenSR (fused)", Pipeline, training, Ranking: GenSRRankingMode.Fused));
        var context = new EvaluationContext(torch.CPU, 1);
        var result = system.Train(Split, context);
        Assert.Contains("dense weight chosen on validation", result.Note);
        Assert.Contains("dense only", system.LastSweep);
        Assert.Contains("w=0 (generative only)", system.LastSweep);
        foreach (var task in new[] { TaskKind.Recommendation, TaskKind.Search })
            Assert.Contains(system.FusionWeight(task), GenSRSystemOptions.FusionWeights);

        // Re-ranking the validation sample with the chosen weights reproduces the selected validation score.
        var sample = GenSRTrainer.ValidationSample(Split.Validation, training);
        var again = context.SelectionScore(context.EvaluateValidation(system, Split, null, sample));
        Assert.Equal(result.ValidationScore!.Value, again, 6);

        // Its two parts rank from the same weights as systems of their own; disposing them leaves the system whole.
        var parts = system.Components();
        Assert.Equal(["GenSR (fused): generative only", "GenSR (fused): dense only"], parts.Select(p => p.Name));
        var scores = new List<double>();
        foreach (var part in parts)
            using (part)
            {
                Assert.Same(SystemTrainingResult.NotTrained, part.Train(Split, context));
                scores.Add(context.SelectionScore(context.EvaluateValidation(part, Split, null, sample)));
            }
        Assert.NotEqual(scores[0], scores[1]);
        Assert.Equal(again, context.SelectionScore(context.EvaluateValidation(system, Split, null, sample)), 6);
        Assert.Empty(new GenSRSystem(new GenSRSystemOptions("GenSR (fused)", Pipeline, training, Ranking: GenSRRankingMode.Fused)).Components());
    }
}
