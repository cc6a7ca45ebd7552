using BenchmarkDotNet.Attributes;
using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Trie-constrained vs unconstrained beam search, 20 beams, 256 queries, with the reference decoder at a realistic
/// vocabulary (3 specials + 4,096 text tokens + 4 × 256 identifier tokens). Both searches run the trie's depth (5 steps:
/// 4 codes + eos); <see cref="DecoderStepsOnly"/> runs the decoder's 5 steps alone, so a search's own cost is the
/// difference. The Ratio column is relative to <see cref="Unconstrained"/>; queries/s = 256 / median.
/// </summary>
public abstract class DecodingBeamSearchBenchmarkBase
{
    /// <summary>Queries per batch.</summary>
    public const int Queries = 256;

    /// <summary>Beams per query.</summary>
    public const int Beams = 20;

    private PrefixTrie _trie = null!;
    private TrieConstraint _constraint = null!;
    private ReferenceStepDecoder _decoder = null!;
    private BeamSearch _search = null!;

    /// <summary>Items in the catalogue.</summary>
    protected abstract int ItemCount { get; }

    /// <summary>The reference decoder's hidden size: its per-step cost is a [5120, hidden] × [hidden, 5123] projection.</summary>
    protected abstract int HiddenSize { get; }

    /// <summary>Builds the catalogue, uploads its trie and creates the decoder on the device <c>GENSR_DEVICE</c> names
    /// (default: CUDA when available), with <c>GENSR_TORCH_THREADS</c> CPU threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
        _trie = DecodingCatalog.Trie(DecodingCatalog.RandomTable(ItemCount));
        _constraint = new TrieConstraint(_trie, device);
        _decoder = new ReferenceStepDecoder(
            Enumerable.Range(0, Queries).ToArray(),
            new ReferenceDecoderOptions { VocabularySize = DecodingCatalog.VocabularySize, HiddenSize = HiddenSize, QueryTableSize = Queries, Seed = 5 },
            device);
        _search = new BeamSearch(new BeamSearchOptions { Beams = Beams });
        Console.WriteLine($"// device {device}, {get_num_threads()} torch threads, trie: {_trie.NodeCount:N0} nodes, " +
                          $"{_trie.Bytes / 1e6:F1} MB host, {_constraint.DeviceTrie.Bytes / 1e6:F1} MB device");
    }

    /// <summary>Releases the decoder and the device trie.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _constraint.Dispose();
    }

    /// <summary>Plain beam search over the whole vocabulary for the same number of steps. It tracks no end-of-sequence
    /// token, which spares it a pass over [5120, 5123] per step: the leanest baseline, so the ratio errs against the trie.</summary>
    [Benchmark(Baseline = true)]
    public int Unconstrained()
    {
        var found = _search.Search(_decoder, new FullVocabularyConstraint(_trie.Depth)).Count;
        BenchmarkEnvironment.Synchronize(_decoder.Device);
        return found;
    }

    /// <summary>Beam search restricted to the catalogue's identifiers by the device trie.</summary>
    [Benchmark]
    public int Constrained()
    {
        var found = _search.Search(_decoder, _constraint).Count;
        BenchmarkEnvironment.Synchronize(_decoder.Device);
        return found;
    }

    /// <summary>The decoder's share: start with 20 beams and run the same 5 steps (and reorders), without any search.</summary>
    [Benchmark]
    public long DecoderStepsOnly()
    {
        _decoder.Start(Beams);
        using var scope = NewDisposeScope();
        var last = zeros(Queries * Beams, dtype: ScalarType.Int64, device: _decoder.Device);
        var identity = arange(Queries * Beams, dtype: ScalarType.Int64, device: _decoder.Device);
        for (var step = 0; step < _trie.Depth; step++)
        {
            last = _decoder.Step(last).argmax(1);
            _decoder.Reorder(identity);
        }
        var checksum = last.sum().item<long>();
        BenchmarkEnvironment.Synchronize(_decoder.Device);
        return checksum;
    }
}
