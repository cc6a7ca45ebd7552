using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GenSR.Representation;
using GenSR.Representation.SentenceEncoders;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Sentence vectors for 512 product-title-like texts (8 to 30 words) on the CPU, batches of 32: all-MiniLM-L6-v2 on ONNX
/// Runtime (<see cref="OnnxSentenceEncoder"/>), against the same architecture (6 layers, 384 wide, 12 heads, 1,536 inner,
/// random weights) on the project's TorchSharp <see cref="BertModel"/> over the same token ids with the same mean pooling:
/// the measurement behind running the packaged models on ONNX Runtime. Threads come from <c>GENSR_TORCH_THREADS</c>
/// (torch and ONNX Runtime alike; default 2).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RepresentationSentenceEncoderBenchmarks
{
    private const int BatchSize = 32;
    private string[] _texts = null!;
    private OnnxSentenceEncoder _onnx = null!;
    private BertModel _torch = null!;
    private int[][] _ids = null!;

    /// <summary>Builds the texts, loads MiniLM into ONNX Runtime and creates the TorchSharp model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var threads = int.TryParse(Environment.GetEnvironmentVariable("GENSR_TORCH_THREADS"), out var t) && t > 0 ? t : 2;
        TorchSharp.torch.set_num_threads(threads);
        string[] words = ["waterproof", "tent", "camping", "steel", "pipette", "digital", "caliper", "lab", "glass", "beaker", "set", "of", "for", "with", "stainless", "kit", "professional", "measuring", "thermometer", "gloves"];
        var random = new Random(11);
        _texts = Enumerable.Range(0, 512).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(8, 31)).Select(_ => words[random.Next(words.Length)]))).ToArray();
        _onnx = OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { BatchSize = BatchSize, Threads = threads });
        _ids = _texts.Select(_onnx.TokenizeToIds).ToArray();
        manual_seed(3);
        _torch = new BertModel(new BertConfig
        {
            VocabSize = 30522, HiddenSize = 384, NumHiddenLayers = 6, NumAttentionHeads = 12, IntermediateSize = 1536,
        });
        _torch.eval();
    }

    /// <summary>Disposes both models.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx.Dispose();
        _torch.Dispose();
    }

    /// <summary>MiniLM on ONNX Runtime: tokenisation, the model and pooling.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime MiniLM, 512 texts")]
    public long Onnx()
    {
        using var vectors = _onnx.Encode(_texts);
        return vectors.shape[0];
    }

    /// <summary>The same architecture on TorchSharp (tokenisation excluded, so this side is favoured).</summary>
    [Benchmark(Description = "TorchSharp BERT (MiniLM shape), 512 texts")]
    public long TorchSharpBert()
    {
        var order = Enumerable.Range(0, _ids.Length).OrderByDescending(i => _ids[i].Length).ToArray();
        long rows = 0;
        using var guard = no_grad();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = order.Skip(start).Take(BatchSize).ToArray();
            var longest = batch.Max(i => _ids[i].Length);
            var flat = new long[batch.Length * longest];
            var mask = new long[batch.Length * longest];
            for (var b = 0; b < batch.Length; b++)
                for (var j = 0; j < _ids[batch[b]].Length; j++)
                {
                    flat[b * longest + j] = _ids[batch[b]][j];
                    mask[b * longest + j] = 1;
                }
            var maskTensor = tensor(mask, [batch.Length, longest]);
            var hidden = _torch.forward(tensor(flat, [batch.Length, longest]), maskTensor);
            var weights = maskTensor.to(ScalarType.Float32).unsqueeze(-1);
            var pooled = nn.functional.normalize((hidden * weights).sum(1) / weights.sum(1), p: 2, dim: 1);
            rows += pooled.shape[0];
        }
        return rows;
    }
}
