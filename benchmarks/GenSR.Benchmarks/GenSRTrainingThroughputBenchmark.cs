using BenchmarkDotNet.Attributes;
using GenSR.Core.Data;
using GenSR.Core.Data.Loaders;
using GenSR.Core.Data.Queries;
using GenSR.Core.Data.Splits;
using GenSR.Core.Demo;
using GenSR.Core.Runtime;
using GenSR.Unify.Model;
using GenSR.Unify.Pipeline;
using GenSR.Unify.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Training throughput of the unified model at the evaluation harness's real-data configuration (d_model 128, 2 + 2
/// layers, batch 128, the 10 most recent history items in the prompt, 10 title tokens per item in the semantic view,
/// fused identifiers, both views, λ = 0.01): one invocation is one optimisation step (batch building, forward, loss,
/// backward, clipping, AdamW) over the next batch of a fixed epoch plan, and the reported time is per training row
/// (<c>OperationsPerInvoke</c> = batch), so examples/s = 1 / Mean.
/// The data is <c>GENSR_THROUGHPUT_DATA</c> (a dataset folder, e.g. ../shared/datasets/ml-100k, queries synthesised as in
/// the harness) or else a generated demo catalogue of 2,000 users and 1,700 items. <c>GENSR_THROUGHPUT_THREADS</c>
/// lists torch thread counts (default 1 and 2); the semantic view's padding compaction is measured on and off.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MedianColumn]
public class GenSRTrainingThroughputBenchmark
{
    private const int Batch = 128;
    private GenSRPrepared prepared = null!;
    private AdamW optimizer = null!;
    private Parameter[] trainable = null!;
    private IReadOnlyList<GenSRRequest[]> batches = null!;
    private GenSRTrainer trainer = null!;
    private int next;

    /// <summary>Torch intra-op threads.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>Whether the semantic view drops padding before its Transformer.</summary>
    [Params(true, false)]
    public bool CompactPadding { get; set; }

    /// <summary>Thread counts from <c>GENSR_THROUGHPUT_THREADS</c>, else 1 and 2.</summary>
    public static IEnumerable<int> ThreadCounts => BenchmarkEnvironment.Integers("GENSR_THROUGHPUT_THREADS", 1, 2);

    /// <summary>Prepares the model (LightGCN briefly, identifiers, vocabulary) and plans one epoch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetThreads(Threads);
        var split = LeaveOneOutSplit.Create(Dataset());
        prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = ComputeDevice.Cpu,
            PromptHistoryItems = 10,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        if (prepared.Model.SemanticEncoder is { } semantic) semantic.CompactPadding = CompactPadding;
        trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { BatchSize = Batch });
        batches = trainer.PlanEpoch(split, 1).Where(b => b.Length == Batch).ToArray();
        trainable = prepared.Model.parameters().Where(p => p.requires_grad).ToArray();
        optimizer = optim.AdamW(trainable, 1e-3);
        prepared.Model.train();
        Step();
    }

    /// <summary>One optimisation step over the next planned batch.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var batch = prepared.Builder.Build(batches[next++ % batches.Count], prepared.Model.Device, withLabels: true);
        optimizer.zero_grad();
        var (total, _, _) = trainer.ComputeLoss(batch);
        total.backward();
        nn.utils.clip_grad_norm_(trainable, 1.0);
        optimizer.step();
    }

    /// <summary>Releases the model.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        prepared.Model.Dispose();
    }

    private static SrDataset Dataset()
    {
        if (Environment.GetEnvironmentVariable("GENSR_THROUGHPUT_DATA") is { Length: > 0 } folder)
            return new CategoryQuerySynthesizer(new QuerySynthesisOptions()).Apply(DatasetLoader.Load(folder));
        return DemoDataset.Generate(new DemoDatasetOptions { Users = 2000, Items = 1700, Seed = 1 });
    }
}
