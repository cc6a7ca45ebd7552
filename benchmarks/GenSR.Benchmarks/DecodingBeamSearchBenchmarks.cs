using BenchmarkDotNet.Attributes;
using GenSR.Core.Runtime;
using GenSR.Decoding.Reference;
using GenSR.Decoding.Search;
using GenSR.Decoding.Trie;

namespace GenSR.Benchmarks;

/// <summary>
/// Trie-constrained vs unconstrained beam search, 20 beams, 256 queries, with the reference decoder at a realistic
/// vocabulary (3 specials + 4,096 text tokens + 4 × 256 identifier tokens) and hidden size 256, so every step pays a
/// [5120, 256] × [256, 5123] output projection as a small model would. Both run the trie's depth (5 steps: 4 codes + eos).
/// The Ratio column is constrained / unconstrained (design target: at most 1.2 at 1M items); queries/s = 256 / mean.
/// </summary>
public class DecodingBeamSearchBenchmarks
{
    private const int Queries = 256;
    private const int Beams = 20;
    private PrefixTrie _trie = null!;
    private TrieConstraint _constraint = null!;
    private ReferenceStepDecoder _decoder = null!;
    private BeamSearch _search = null!;

    /// <summary>Number of items in the catalogue.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Items { get; set; }

    /// <summary>Builds the catalogue, uploads its trie and creates the decoder on the default device (CUDA when available).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var device = TorchRuntime.Resolve(ComputeDevice.Auto);
        _trie = DecodingCatalogue.Trie(DecodingCatalogue.RandomTable(Items));
        _constraint = new TrieConstraint(_trie, device);
        _decoder = new ReferenceStepDecoder(
            Enumerable.Range(0, Queries).ToArray(),
            new ReferenceDecoderOptions { VocabularySize = DecodingCatalogue.VocabularySize, HiddenSize = 256, QueryTableSize = Queries, Seed = 5 },
            device);
        _search = new BeamSearch(new BeamSearchOptions { Beams = Beams });
        Console.WriteLine($"// device {device}, trie: {_trie.NodeCount:N0} nodes, {_trie.Bytes / 1e6:F1} MB host, {_constraint.DeviceTrie.Bytes / 1e6:F1} MB device");
    }

    /// <summary>Releases the decoder and the device trie.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _constraint.Dispose();
    }

    /// <summary>Plain beam search over the whole vocabulary for the same number of steps.</summary>
    [Benchmark(Baseline = true)]
    public int Unconstrained() => _search.Search(_decoder, new FullVocabularyConstraint(_trie.Depth, DecodingCatalogue.EndOfSequenceToken)).Count;

    /// <summary>Beam search restricted to the catalogue's identifiers by the device trie.</summary>
    [Benchmark]
    public int Constrained() => _search.Search(_decoder, _constraint).Count;
}
