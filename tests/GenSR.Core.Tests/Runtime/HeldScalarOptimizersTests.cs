using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Core.Tests.Runtime;

public sealed class HeldScalarOptimizersTests
{
    [Fact]
    public void AdamW_with_held_scalars_gives_TorchSharps_AdamW_parameters_bit_for_bit()
    {
        var (reference, referenceParams) = Model(seed: 7);
        var (held, heldParams) = Model(seed: 7);
        using var expected = optim.AdamW(
        [
            new AdamW.ParamGroup(referenceParams.Where(p => p.dim() >= 2), 0.01, 0.9, 0.999, 1e-8, 0.05, false, false),
            new AdamW.ParamGroup(referenceParams.Where(p => p.dim() < 2), 0.01, 0.9, 0.999, 1e-8, 0.0, false, false),
        ], 0.01);
        using var actual = new HeldScalarAdamW(
        [
            new AdamW.ParamGroup(heldParams.Where(p => p.dim() >= 2), 0.01, 0.9, 0.999, 1e-8, 0.05, false, false),
            new AdamW.ParamGroup(heldParams.Where(p => p.dim() < 2), 0.01, 0.9, 0.999, 1e-8, 0.0, false, false),
        ], 0.01);

        Train(reference, expected, held, actual);

        AssertSame(referenceParams, heldParams);
    }

    [Fact]
    public void Adam_with_held_scalars_gives_TorchSharps_Adam_parameters_bit_for_bit_with_and_without_an_L2_penalty()
    {
        foreach (var decay in new[] { 0.0, 0.1 })
        {
            var (reference, referenceParams) = Model(seed: 3);
            var (held, heldParams) = Model(seed: 3);
            using var expected = optim.Adam(referenceParams, 0.02, weight_decay: decay);
            using var actual = new HeldScalarAdam(heldParams, 0.02, weightDecay: decay);

            Train(reference, expected, held, actual);

            AssertSame(referenceParams, heldParams);
        }
    }

    [Fact]
    public void A_saved_state_resumes_the_same_trajectory_and_the_state_is_TorchSharps_AdamW_state()
    {
        var (model, parameters) = Model(seed: 5);
        var (other, otherParameters) = Model(seed: 5);
        using var held = new HeldScalarAdamW([new AdamW.ParamGroup(parameters, 0.01, 0.9, 0.999, 1e-8, 0.01, false, false)], 0.01);
        using var reference = optim.AdamW(otherParameters, 0.01, weight_decay: 0.01);
        Train(model, held, other, reference);
        var path = Path.Combine(Path.GetTempPath(), $"gensr-adamw-{Guid.NewGuid():N}.bin");
        try
        {
            held.save_state_dict(path);
            using var resumed = new HeldScalarAdamW([new AdamW.ParamGroup(parameters, 0.01, 0.9, 0.999, 1e-8, 0.01, false, false)], 0.01);
            resumed.load_state_dict(path);
            var steps = resumed.state_dict().State.Cast<AdamW.State>().Select(s => s.step).Distinct().ToArray();
            Assert.Equal(new[] { 12L }, steps);
            // In memory the state is TorchSharp's own: the reference takes it, and both continue identically.
            reference.load_state_dict(resumed.state_dict());
            Train(model, resumed, other, reference);
            AssertSame(otherParameters, parameters);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (nn.Module<Tensor, Tensor> Module, Parameter[] Parameters) Model(int seed)
    {
        TorchRuntime.Seed(seed);
        var module = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 2));
        return (module, module.parameters().ToArray());
    }

    // Twelve identical steps on both: the same inputs and targets, so any difference comes from the update.
    private static void Train(nn.Module<Tensor, Tensor> a, optim.Optimizer optA, nn.Module<Tensor, Tensor> b, optim.Optimizer optB)
    {
        using var generator = new Generator(11);
        for (var step = 0; step < 12; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, 6, generator: generator);
            var y = randn(8, 2, generator: generator);
            foreach (var (module, optimizer) in new[] { (a, optA), (b, optB) })
            {
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(module.forward(x), y);
                loss.backward();
                optimizer.step();
            }
        }
    }

    private static void AssertSame(Parameter[] expected, Parameter[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].data<float>().ToArray(), actual[i].data<float>().ToArray());
    }
}
