using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class SasRecTests
{
    [Fact]
    public void SASRec_learns_the_demo_sequences_and_beats_popularity_on_validation()
    {
        var split = TestDatasets.SmallDemo;
        var progress = new RecordingProgress<SystemTrainingProgress>();
        var context = new EvaluationContext(CPU, 7, progress: progress);
        using var sasrec = new SasRecSystem(new SasRecOptions { Training = new SequenceTrainingOptions { MaxEpochs = 12, BatchSize = 32 } });

        var result = sasrec.Train(split, context);

        var popularity = ValidationBaseline.PopularityNdcg10(split, TaskKind.Recommendation);
        Assert.True(result.ValidationScore > popularity + 0.05,
                    $"SASRec validation NDCG@10 {result.ValidationScore:F4} should beat popularity {popularity:F4} by 0.05");
        Assert.True(progress.Reports[^1].Loss < progress.Reports[0].Loss - 0.3, "the training loss falls");
        // The kept weights are the selected epoch's: validation gives exactly the recorded score again.
        Assert.Equal(result.ValidationScore!.Value, context.SelectionScore(context.EvaluateValidation(sasrec, split)), 5);
        Assert.Equal(progress.Reports.Max(r => r.ValidationScore!.Value), result.ValidationScore!.Value, 9);
    }

    [Fact]
    public void The_paper_objective_with_sampled_negatives_also_lowers_its_loss()
    {
        var progress = new RecordingProgress<SystemTrainingProgress>();
        using var sasrec = new SasRecSystem(new SasRecOptions
        {
            Loss = SasRecLoss.BinaryCrossEntropy,
            Training = new SequenceTrainingOptions { MaxEpochs = 4, Patience = 10, BatchSize = 32 },
        });

        sasrec.Train(TestDatasets.SmallDemo, new EvaluationContext(CPU, 7, progress: progress));

        Assert.True(progress.Reports[^1].Loss < progress.Reports[0].Loss, "the BCE loss falls");
    }

    [Fact]
    public void With_several_dropout_rates_validation_picks_the_kept_model()
    {
        var split = TestDatasets.SmallDemo;
        var context = new EvaluationContext(CPU, 7);
        var options = new SasRecOptions { HiddenSize = 16, Training = new SequenceTrainingOptions { MaxEpochs = 2, BatchSize = 64 } };
        using var sasrec = new SasRecSystem(options, [0.0, 0.5]);

        var result = sasrec.Train(split, context);

        Assert.Matches(@"^dropout (0|0\.5) chosen on validation NDCG@10 \(0: \d\.\d{4}, 0\.5: \d\.\d{4}\)$", result.Note);
        Assert.Contains(sasrec.Model.Options.Dropout, sasrec.DropoutChoices);
        Assert.Equal(result.ValidationScore!.Value, context.SelectionScore(context.EvaluateValidation(sasrec, split)), 5);
        Assert.Throws<ArgumentException>(() => new SasRecSystem(options, [1.5]));
    }

    [Fact]
    public void Parameters_have_the_names_of_the_PyTorch_implementation()
    {
        using var model = new SasRecModel(10, new SasRecOptions());
        var names = model.state_dict().Keys.ToHashSet();

        Assert.Contains("item_emb.weight", names);
        Assert.Contains("pos_emb.weight", names);
        Assert.Contains("attention_layernorms.1.weight", names);
        Assert.Contains("attention_layers.0.query.weight", names);
        Assert.Contains("forward_layers.1.linear2.bias", names);
        Assert.Contains("last_layernorm.weight", names);
        Assert.Equal([11L, 64L], model.state_dict()["item_emb.weight"].shape);
    }

    [Fact]
    public void A_later_event_cannot_change_an_earlier_state()
    {
        using var model = new SasRecModel(10, new SasRecOptions { MaxLength = 4 });
        model.eval();
        using var first = tensor(new long[] { 0, 1, 2, 3 }, [1, 4]);
        using var second = tensor(new long[] { 0, 1, 2, 9 }, [1, 4]);
        using var a = model.forward(first);
        using var b = model.forward(second);

        Assert.True(a.narrow(1, 0, 3).allclose(b.narrow(1, 0, 3), 1e-5, 1e-6), "causal: states before the changed position are equal");
        Assert.False(a.narrow(1, 3, 1).allclose(b.narrow(1, 3, 1)), "the changed position's state differs");
    }

    [Fact]
    public void Options_reject_values_outside_their_range()
    {
        Assert.Equal("HiddenSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SasRecOptions { HiddenSize = 0 }).ParamName);
        Assert.Equal("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new SasRecOptions { Dropout = 1 }).ParamName);
        Assert.Equal("MaxEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceTrainingOptions { MaxEpochs = 0 }).ParamName);
        Assert.Throws<ArgumentException>(() => new SasRecSystem(new SasRecOptions { HiddenSize = 10, Heads = 3 }));
    }
}
