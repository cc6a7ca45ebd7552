using BenchmarkDotNet.Attributes;
using GenSR.Core;
using GenSR.Unify;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// One training step of the T5 backbone (forward, loss, backward, AdamW step) at the project's anchor shapes:
/// d_model 256, d_ff 1024, 8 heads of 32, 4 + 4 layers, vocabulary 4096 + 4·256 + 3, 64 input tokens, 5 target
/// tokens, dropout 0.1 in training mode. The anchor batch is 256 (HF transformers on one H100: 62 ms fp32, 78 ms bf16
/// autocast); a CPU run may use a smaller batch through <c>GENSR_T5_BENCH_BATCH</c> (comma-separated list).
/// Runs on CUDA when available (<c>GENSR_T5_BENCH_DEVICE</c>, else <c>GENSR_DEVICE</c>: auto, cpu, cuda or cuda:N);
/// <c>GENSR_T5_BENCH_THREADS</c> (else <c>GENSR_TORCH_THREADS</c>) sets torch's intra-op CPU threads (on a shared machine
/// one thread avoids contention between thread pools).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
[MedianColumn]
public class T5TrainingStepBenchmark
{
    private const int InputTokens = 64;
    private const int TargetTokens = 5;
    private const int AnchorVocabulary = 4096 + 4 * 256 + 3;

    private T5ForConditionalGeneration model = null!;
    private OptimizerHelper optimizer = null!;
    private Tensor inputIds = null!;
    private Tensor attentionMask = null!;
    private Tensor labels = null!;
    private Device device = null!;

    /// <summary>Examples per step (default: the anchor's 256).</summary>
    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    /// <summary>Float32, or bf16 autocast-equivalent compute over float32 master weights.</summary>
    [Params(T5Precision.Float32, T5Precision.BFloat16Autocast)]
    public T5Precision Precision { get; set; }

    /// <summary>Batch sizes from <c>GENSR_T5_BENCH_BATCH</c>, else 256.</summary>
    public static IEnumerable<int> Batches =>
        BenchmarkEnvironment.Integers("GENSR_T5_BENCH_BATCH", 256);

    /// <summary>Builds the anchor model, an AdamW optimizer and one random batch on the device.</summary>
    [GlobalSetup]
    public void Setup()
    {
        device = BenchmarkEnvironment.Device("GENSR_T5_BENCH_DEVICE");
        BenchmarkEnvironment.ApplyThreads("GENSR_T5_BENCH_THREADS");
        TorchRuntime.Seed(1);
        model = new T5ForConditionalGeneration(T5Config.Small(AnchorVocabulary)).to(device);
        model.UsePrecision(Precision);
        model.train();
        optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        inputIds = randint(2, AnchorVocabulary, [Batch, InputTokens], ScalarType.Int64, device);
        attentionMask = ones([Batch, InputTokens], ScalarType.Int64, device);
        labels = randint(2, AnchorVocabulary, [Batch, TargetTokens], ScalarType.Int64, device);
        labels[.., TargetTokens - 1] = tensor(1L, device: device);
        Step(); // first-call allocations outside the measurement
    }

    /// <summary>One forward + backward + AdamW step; waits for the device to finish.</summary>
    [Benchmark]
    public void Step()
    {
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var logits = model.forward(inputIds, attentionMask, model.ShiftRight(labels));
            T5ForConditionalGeneration.ComputeLoss(logits, labels).backward();
            optimizer.step();
        }
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    /// <summary>Releases the model and tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        inputIds.Dispose();
        attentionMask.Dispose();
        labels.Dispose();
    }
}
