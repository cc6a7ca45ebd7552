using BenchmarkDotNet.Attributes;
using GenSR.Core;
using GenSR.Unify;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Training throughput of the unified model at the evaluation harness's real-data configuration (d_model 128, 2 + 2
/// layers, batch 128, the 10 most recent history items in the prompt, 10 title tokens per item in the semantic view,
/// fused identifiers, both views, λ = 0.01): one invocation is four optimisation steps (batch building, forward, loss,
/// backward, clipping, AdamW) over the next four batches of a fixed epoch plan, and the reported time is per training
/// row (<c>OperationsPerInvoke</c> = 4 × batch), so examples/s = 1 / Mean.
/// The data is <c>GENSR_THROUGHPUT_DATA</c> (a dataset folder, e.g. ../shared/datasets/ml-100k, queries synthesised as in
/// the harness) or else a generated demo catalogue of 2,000 users and 1,700 items. <c>GENSR_THROUGHPUT_THREADS</c>
/// lists torch thread counts (default 1 and 2). <see cref="Padding"/> compares full padding, the semantic view's padding
/// compaction, and compaction with length-bucketed batches.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 6)]
[MedianColumn]
public class GenSRTrainingThroughputBenchmark
{
    private const int Batch = 128;
    private const int StepsPerInvoke = 4;
    private GenSRPrepared prepared = null!;
    private AdamW optimizer = null!;
    private Parameter[] trainable = null!;
    private IReadOnlyList<GenSRRequest[]> batches = null!;
    private GenSRTrainer trainer = null!;
    private int next;

    /// <summary>Torch intra-op threads.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>How much padding the step computes.</summary>
    [Params(PaddingMode.Full, PaddingMode.Compacted, PaddingMode.CompactedAndBucketed)]
    public PaddingMode Padding { get; set; }

    /// <summary>The padding variants measured.</summary>
    public enum PaddingMode
    {
        /// <summary>Every title token position of every history item, random batches.</summary>
        Full,

        /// <summary>The semantic view drops padding (<c>SemanticHistoryEncoder.CompactPadding</c>), random batches.</summary>
        Compacted,

        /// <summary>Compaction and batches of similar history length (<c>GenSRTrainingOptions.BucketByLength</c>).</summary>
        CompactedAndBucketed,
    }

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
            Device = TorchSharp.torch.CPU,
            PromptHistoryItems = 10,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        if (prepared.Model.SemanticEncoder is { } semantic) semantic.CompactPadding = Padding != PaddingMode.Full;
        trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys,
            new GenSRTrainingOptions { BatchSize = Batch, BucketByLength = Padding == PaddingMode.CompactedAndBucketed });
        batches = trainer.PlanEpoch(split, 1).Where(b => b.Length == Batch).ToArray();
        trainable = prepared.Model.parameters().Where(p => p.requires_grad).ToArray();
        optimizer = optim.AdamW(trainable, 1e-3);
        prepared.Model.train();
        Step();
    }

    /// <summary>Four optimisation steps over the next planned batches.</summary>
    [Benchmark(OperationsPerInvoke = Batch * StepsPerInvoke)]
    public void Steps()
    {
        for (var i = 0; i < StepsPerInvoke; i++) Step();
    }

    /// <summary>
    /// Batch building alone (prompts, labels, history views and their tensors) for the same batches: the share of a step
    /// spent on the CPU before the model runs.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch * StepsPerInvoke)]
    public void BatchBuilding()
    {
        for (var i = 0; i < StepsPerInvoke; i++)
        {
            using var scope = NewDisposeScope();
            using var batch = prepared.Builder.Build(batches[next++ % batches.Count], prepared.Model.Device, withLabels: true);
        }
    }

    private void Step()
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
