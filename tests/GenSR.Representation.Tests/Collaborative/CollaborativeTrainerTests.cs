using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Collaborative;

public sealed class CollaborativeTrainerTests
{
    public CollaborativeTrainerTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void Options_out_of_range_are_rejected_naming_the_option()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeTrainingOptions { BatchSize = 0 }).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeTrainingOptions { LearningRate = -1 }).ParamName);
        Assert.Equal("L2Weight", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeTrainingOptions { L2Weight = double.NaN }).ParamName);
        var patience = Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeTrainingOptions { Patience = 0 });
        Assert.Contains("at least 1", patience.Message);
    }

    [Fact]
    public void Mismatched_model_and_graph_are_rejected()
    {
        var graph = new InteractionGraph(3, 4, new UserItemPair[] { new(0, 0) });
        using var model = new MatrixFactorization(3, 5, new MatrixFactorizationOptions { Device = TorchSharp.torch.CPU });
        var error = Assert.Throws<ArgumentException>(() => new CollaborativeTrainer(model, graph));
        Assert.Contains("3 users × 5 items", error.Message);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        var data = ClusteredInteractions.Small();
        using var model = new MatrixFactorization(data.Graph, new MatrixFactorizationOptions { Device = TorchSharp.torch.CPU });
        using var trainer = new CollaborativeTrainer(model, data.Graph, data.Validation);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Negative_sampling_avoids_the_users_positives()
    {
        // Each user has 20% of the items as positives: plain uniform draws hit them often, resampled draws (almost) never.
        var random = new Random(1);
        var pairs = Enumerable.Range(0, 50).SelectMany(u => Enumerable.Range(0, 100).Where(_ => random.NextDouble() < 0.2).Select(i => new UserItemPair(u, i))).ToList();
        var graph = new InteractionGraph(50, 100, pairs);
        using var users = randint(0, 50, new long[] { 20_000 }, ScalarType.Int64);

        double PositiveRate(int rounds)
        {
            using var generator = new Generator(7, CPU);
            using var sampler = new NegativeSampler(graph, rounds, generator, CPU);
            using var negatives = sampler.Sample(users);
            using var positive = sampler.IsPositive(users, negatives);
            var managed = negatives.data<long>().ToArray();
            var userIds = users.data<long>().ToArray();
            var expected = managed.Select((item, k) => graph.Contains((int)userIds[k], (int)item)).Count(x => x);
            Assert.Equal(expected, positive.sum().item<long>()); // the device membership test agrees with the graph
            return (double)expected / managed.Length;
        }

        Assert.InRange(PositiveRate(0), 0.15, 0.25);
        Assert.True(PositiveRate(12) < 1e-3);
    }
}
