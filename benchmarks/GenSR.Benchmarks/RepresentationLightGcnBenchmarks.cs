using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GenSR.Core;
using GenSR.Representation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// One BPR training epoch of LightGCN (and MF-BPR for comparison) on 10k users × 5k items × 100k interactions, 64-d,
/// 2 layers, batches of 2048 (49 optimiser steps), and one full-ranking validation Recall@20 over all 10k users.
/// The device comes from <c>GENSR_DEVICE</c> (auto, cpu, cuda or cuda:N; default auto), torch's CPU threads from
/// <c>GENSR_TORCH_THREADS</c> (default: torch's choice).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RepresentationLightGcnBenchmarks
{
    private const int Users = 10_000;
    private const int Items = 5_000;
    private const int Interactions = 100_000;

    private CollaborativeModel _model = null!;
    private CollaborativeTrainer _trainer = null!;
    private Device _device = null!;

    /// <summary>Which collaborative model is trained.</summary>
    [Params("lightgcn", "mf-bpr")]
    public string Model { get; set; } = "lightgcn";

    /// <summary>Draws the popularity-skewed interaction graph and builds the model and trainer on the device.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
        var random = new Random(17);
        // Popularity-skewed items (Zipf exponent 0.8) so degrees look like real interaction data.
        var weights = Enumerable.Range(1, Items).Select(r => 1.0 / Math.Pow(r, 0.8)).ToArray();
        var cumulative = new double[Items];
        var total = 0.0;
        for (var i = 0; i < Items; i++) cumulative[i] = total += weights[i];
        var keys = new HashSet<long>();
        while (keys.Count < Interactions)
        {
            var user = random.Next(Users);
            var item = Array.BinarySearch(cumulative, random.NextDouble() * total);
            keys.Add((long)user * Items + (item < 0 ? ~item : item));
        }
        var graph = new InteractionGraph(Users, Items, keys.Select(k => new UserItemPair((int)(k / Items), (int)(k % Items))));
        var targets = Enumerable.Range(0, Users).Select(_ => random.Next(Items)).ToArray();
        _model = Model == "lightgcn"
            ? new LightGcn(graph, new LightGcnOptions { Device = _device })
            : new MatrixFactorization(graph, new MatrixFactorizationOptions { Device = _device });
        _trainer = new CollaborativeTrainer(_model, graph, new ValidationTargets(targets, Items), new CollaborativeTrainingOptions { BatchSize = 2048 });
    }

    /// <summary>One BPR epoch over all 100k pairs; returns the mean loss.</summary>
    [Benchmark(Description = "BPR epoch (100k pairs)")]
    public double Epoch()
    {
        var loss = _trainer.RunEpoch();
        BenchmarkEnvironment.Synchronize(_device);
        return loss;
    }

    /// <summary>Validation Recall@20 with full ranking over all items.</summary>
    [Benchmark(Description = "Recall@20 full ranking (10k users)")]
    public double ValidationRecall()
    {
        var recall = _trainer.Evaluate();
        BenchmarkEnvironment.Synchronize(_device);
        return recall;
    }

    /// <summary>Releases the trainer and the model.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer.Dispose();
        _model.Dispose();
    }
}
