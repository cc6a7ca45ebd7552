using BenchmarkDotNet.Attributes;
using GenSR.Core;
using GenSR.Decoding;
using GenSR.Unify;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Generative retrieval with a real model at the project's anchor shapes: a randomly initialised T5 (d_model 256, d_ff
/// 1024, 8 heads of 32, 4 + 4 layers, ReLU, tied output projection; vocabulary 3 specials + 4,096 text tokens + 4 × 256
/// identifier tokens = 5,123), 256 queries × 64 input tokens, 20 beams, over random distinct 4-level × 256-code
/// identifiers of 100k and 1M items. One invocation encodes the batch, binds a <see cref="T5StepDecoder"/> to it and runs
/// <see cref="BeamSearch"/> for the trie's depth (5 steps: 4 codes + eos), trie-constrained or over the whole vocabulary;
/// queries/s = batch / median. The anchor (HF transformers on one H100, <c>prefix_allowed_tokens_fn</c>) is ~1,200 q/s
/// unconstrained and 64 q/s constrained at 100k items; the target is ≥ 1,000 q/s constrained at 1M items with a Ratio
/// (constrained / unconstrained time) ≤ 1.2.
/// </summary>
/// <remarks>
/// Knobs: <c>GENSR_DEVICE</c> (auto, cpu, cuda), <c>GENSR_TORCH_THREADS</c>, <c>GENSR_T5_DECODE_BATCH</c> (queries per
/// batch, default 256), <c>GENSR_T5_DECODE_ITEMS</c> (comma-separated catalogue sizes, default 100000,1000000) and
/// <c>GENSR_T5_DECODE_PRECISION</c> (comma-separated <see cref="T5Precision"/> names, default Float32).
/// </remarks>
[MedianColumn]
public class T5BeamSearchBenchmarks
{
    /// <summary>Tokens per query (the anchor's input length).</summary>
    public const int InputTokens = 64;

    /// <summary>Beams per query.</summary>
    public const int Beams = 20;

    private T5ForConditionalGeneration _model = null!;
    private PrefixTrie _trie = null!;
    private TrieConstraint _constraint = null!;
    private FullVocabularyConstraint _fullVocabulary = null!;
    private BeamSearch _search = null!;
    private Tensor _inputIds = null!;
    private Tensor _attentionMask = null!;
    private Device _device = null!;

    /// <summary>Items in the catalogue (from <c>GENSR_T5_DECODE_ITEMS</c>, else 100k and 1M).</summary>
    [ParamsSource(nameof(Catalogues))]
    public int Items { get; set; }

    /// <summary>Queries per batch (from <c>GENSR_T5_DECODE_BATCH</c>, else the anchor's 256).</summary>
    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    /// <summary>How the model stores weights and computes (from <c>GENSR_T5_DECODE_PRECISION</c>, else float32).</summary>
    [ParamsSource(nameof(Precisions))]
    public T5Precision Precision { get; set; }

    /// <summary>Catalogue sizes to run.</summary>
    public static IEnumerable<int> Catalogues => BenchmarkEnvironment.Integers("GENSR_T5_DECODE_ITEMS", 100_000, 1_000_000);

    /// <summary>Batch sizes to run.</summary>
    public static IEnumerable<int> Batches => BenchmarkEnvironment.Integers("GENSR_T5_DECODE_BATCH", 256);

    /// <summary>Precisions to run.</summary>
    /// <exception cref="ArgumentException">An entry is not a <see cref="T5Precision"/> name.</exception>
    public static IEnumerable<T5Precision> Precisions
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("GENSR_T5_DECODE_PRECISION");
            if (string.IsNullOrWhiteSpace(text)) return [T5Precision.Float32];
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
                Enum.TryParse<T5Precision>(name, ignoreCase: true, out var precision) && Enum.IsDefined(precision)
                    ? precision
                    : throw new ArgumentException(
                        $"GENSR_T5_DECODE_PRECISION=\"{text}\": \"{name}\" is not one of {string.Join(", ", Enum.GetNames<T5Precision>())}.",
                        "GENSR_T5_DECODE_PRECISION")).ToArray();
        }
    }

    /// <summary>Builds the catalogue's trie, the model (eval mode) and one batch of random text-token queries on the device.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
        TorchRuntime.Seed(3);
        _trie = DecodingCatalog.Trie(DecodingCatalog.RandomTable(Items));
        _constraint = new TrieConstraint(_trie, _device);
        // No end-of-sequence tracking in the baseline: the leanest plain search, so the ratio errs against the trie.
        _fullVocabulary = new FullVocabularyConstraint(_trie.Depth);
        _search = new BeamSearch(new BeamSearchOptions { Beams = Beams });
        _model = new T5ForConditionalGeneration(T5Config.Small(DecodingCatalog.VocabularySize)).to(_device);
        _model.UsePrecision(Precision);
        _model.eval();
        _inputIds = randint(DecodingCatalog.SpecialTokens, DecodingCatalog.TokenOffset, [Batch, InputTokens], ScalarType.Int64, _device);
        _attentionMask = ones([Batch, InputTokens], ScalarType.Int64, _device);
        Console.WriteLine($"// device {_device}, {get_num_threads()} torch threads, {Items:N0} items, trie {_trie.NodeCount:N0} nodes, " +
                          $"{_constraint.DeviceTrie.Bytes / 1e6:F1} MB on the device, batch {Batch} x {InputTokens} tokens, {Beams} beams, {Precision}");
    }

    /// <summary>Encode + plain beam search over all 5,123 tokens for the same 5 steps.</summary>
    [Benchmark(Baseline = true)]
    public int Unconstrained() => Decode(_fullVocabulary);

    /// <summary>Encode + beam search restricted to the catalogue's identifiers by the device trie.</summary>
    [Benchmark]
    public int Constrained() => Decode(_constraint);

    private int Decode(IDecodingConstraint constraint)
    {
        int found;
        using (no_grad())
        using (NewDisposeScope())
        {
            var encoded = _model.EncodeTokens(_inputIds, _attentionMask);
            using var decoder = _model.CreateStepDecoder(encoded, _attentionMask);
            found = _search.Search(decoder, constraint).Count;
        }
        BenchmarkEnvironment.Synchronize(_device);
        return found;
    }

    /// <summary>Releases the model, the device trie and the inputs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _constraint.Dispose();
        _inputIds.Dispose();
        _attentionMask.Dispose();
    }
}
