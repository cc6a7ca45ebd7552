using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

public sealed class SymmetricInfoNceTests
{
    [Fact]
    public void Aligned_pairs_cost_less_than_shuffled_pairs()
    {
        manual_seed(1);
        using var a = randn(16, 8);
        using var noise = randn(16, 8) * 0.05;
        using var b = a + noise;
        using var shuffled = b.roll(1, 0);
        using var aligned = SymmetricInfoNce.Compute(a, b, 0.07);
        using var misaligned = SymmetricInfoNce.Compute(a, shuffled, 0.07);
        Assert.True(aligned.item<float>() < 0.1f, $"aligned loss {aligned.item<float>()}");
        Assert.True(misaligned.item<float>() > 5f, $"misaligned loss {misaligned.item<float>()}");
    }

    [Fact]
    public void Loss_is_symmetric_in_its_arguments_and_matches_the_definition()
    {
        manual_seed(2);
        using var a = randn(5, 4);
        using var b = randn(5, 4);
        using var ab = SymmetricInfoNce.Compute(a, b, 0.5);
        using var ba = SymmetricInfoNce.Compute(b, a, 0.5);
        Assert.Equal(ab.item<float>(), ba.item<float>(), 5);

        // By hand: mean over rows of -log softmax(sim/τ)[i,i], averaged over both directions.
        var na = nn.functional.normalize(a, dim: 1);
        var nb = nn.functional.normalize(b, dim: 1);
        var sim = na.matmul(nb.t()) / 0.5;
        var rows = -sim.log_softmax(1).diagonal().mean().item<float>();
        var cols = -sim.log_softmax(0).diagonal().mean().item<float>();
        Assert.Equal((rows + cols) / 2, ab.item<float>(), 4);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        using var a = zeros(3, 2);
        using var b = zeros(4, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricInfoNce.Compute(a, a, 0));
        Assert.Throws<ArgumentException>(() => SymmetricInfoNce.Compute(a, b, 0.07));
    }
}
