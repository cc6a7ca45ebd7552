using static TorchSharp.torch;

namespace GenSR.Core.Tests.Runtime;

public sealed class BestWeightsTests
{
    [Fact]
    public void Patience_counts_validations_without_improvement_and_an_improvement_resets_it()
    {
        using var weight = zeros(3);
        using var best = new BestWeights(patience: 2);
        IEnumerable<(string, Tensor)> Weights() => [("w", weight)];

        Assert.Equal(ValidationOutcome.Improved, best.Observe(0.10, Weights));
        Assert.Equal(ValidationOutcome.NotImproved, best.Observe(0.10, Weights)); // equal is not better
        Assert.Equal(ValidationOutcome.Improved, best.Observe(0.20, Weights));
        Assert.Equal(0, best.BadValidations);
        Assert.Equal(ValidationOutcome.NotImproved, best.Observe(0.15, Weights));
        Assert.Equal(ValidationOutcome.PatienceExhausted, best.Observe(0.19, Weights));
        Assert.Equal(0.20, best.Score);
        Assert.Equal(2, best.BadValidations);
    }

    [Fact]
    public void Restore_puts_back_the_best_scores_weights_not_the_latest()
    {
        using var weight = tensor(new[] { 1f, 2f });
        using var best = new BestWeights(patience: 5);
        IEnumerable<(string, Tensor)> Weights() => [("w", weight)];

        best.Observe(0.5, Weights);
        weight.copy_(tensor(new[] { 7f, 8f }));
        best.Observe(0.4, Weights); // worse: the copy of [1, 2] stays
        best.Restore(Weights());

        Assert.Equal([1f, 2f], weight.data<float>().ToArray());
    }

    [Fact]
    public void Without_an_improvement_nothing_is_kept_and_restore_changes_nothing()
    {
        using var weight = tensor(new[] { 3f });
        using var best = new BestWeights(patience: 1, score: 0.9);

        Assert.Equal(ValidationOutcome.PatienceExhausted, best.Observe(0.8, () => [("w", weight)]));
        Assert.False(best.HasWeights);
        best.Restore([("w", weight)]);
        Assert.Equal([3f], weight.data<float>().ToArray());
    }

    [Fact]
    public void A_resumed_run_continues_the_saved_patience_count()
    {
        using var weight = zeros(1);
        using var best = new BestWeights(patience: 3, score: 0.5, badValidations: 2);
        Assert.Equal(ValidationOutcome.PatienceExhausted, best.Observe(0.4, () => [("w", weight)]));
    }

    [Fact]
    public void Restoring_into_a_tensor_with_no_kept_copy_is_an_error()
    {
        using var weight = zeros(1);
        using var other = zeros(1);
        using var best = new BestWeights(patience: 1);
        best.Observe(1.0, () => [("w", weight)]);
        Assert.Contains("\"v\"", Assert.Throws<InvalidOperationException>(() => best.Restore([("v", other)])).Message);
    }
}
