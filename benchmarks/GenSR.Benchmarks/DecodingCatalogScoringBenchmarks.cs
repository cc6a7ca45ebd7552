using BenchmarkDotNet.Attributes;
using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Exact scores of the whole catalogue (<see cref="CatalogScorer"/>, both normalisations) against trie-constrained beam
/// search with 20 beams, for a batch of queries, at 10k, 100k and 1M items with the reference decoder (hidden 256) over
/// the shared decoding vocabulary (5,123 tokens, random 4 × 256 identifiers + eos). The Ratio column is relative to beam
/// search. Memory: the setup prints each scorer's decoded rows per query, its widest step and the floats one call holds
/// for the decoder's log-probabilities (queries × widest step × vocabulary), which dominates; BenchmarkDotNet's allocation
/// column counts managed memory only.
/// </summary>
[MedianColumn]
public class DecodingCatalogScoringBenchmarks
{
    private PrefixTrie _trie = null!;
    private TrieConstraint _constraint = null!;
    private ReferenceStepDecoder _decoder = null!;
    private BeamSearch _search = null!;
    private CatalogScorer _trieScorer = null!;
    private CatalogScorer _vocabularyScorer = null!;

    /// <summary>Number of items in the catalogue (from <c>GENSR_CATALOGUE_ITEMS</c>, comma-separated; else 10k, 100k and 1M).</summary>
    [ParamsSource(nameof(Catalogues))]
    public int Items { get; set; }

    /// <summary>Catalogue sizes to run.</summary>
    public static IEnumerable<int> Catalogues => BenchmarkEnvironment.Integers("GENSR_CATALOGUE_ITEMS", 10_000, 100_000, 1_000_000);

    /// <summary>Queries per call (from <c>GENSR_CATALOGUE_QUERIES</c>; default 8).</summary>
    public static int Queries => BenchmarkEnvironment.Integers("GENSR_CATALOGUE_QUERIES", 8).First();

    /// <summary>Builds the catalogue, its trie and the decoder on the device <c>GENSR_DEVICE</c> names, and plans both scorers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
        _trie = DecodingCatalog.Trie(DecodingCatalog.RandomTable(Items));
        _constraint = new TrieConstraint(_trie, device);
        _decoder = new ReferenceStepDecoder(
            Enumerable.Range(0, Queries).ToArray(),
            new ReferenceDecoderOptions { VocabularySize = DecodingCatalog.VocabularySize, HiddenSize = 256, QueryTableSize = Queries, Seed = 5 },
            device);
        _search = new BeamSearch(new BeamSearchOptions { Beams = 20 });
        _trieScorer = new CatalogScorer(_trie, CatalogNormalization.Trie);
        _vocabularyScorer = new CatalogScorer(_trie, CatalogNormalization.Vocabulary);
        foreach (var scorer in new[] { _trieScorer, _vocabularyScorer })
            Console.WriteLine($"// {Items:N0} items, {scorer.Normalization} normalisation: {scorer.RowsPerQuery:N0} decoded rows per query in {scorer.Passes} pass(es), " +
                              $"widest step {scorer.MaxWidth:N0} rows, {Queries * (double)scorer.MaxWidth * DecodingCatalog.VocabularySize * 4 / 1e6:F0} MB of log-probabilities per call " +
                              $"({Queries} queries), result {Queries * (double)Items * 4 / 1e6:F1} MB; device {device}, {get_num_threads()} torch threads");
    }

    /// <summary>Releases the decoder and the device trie.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _constraint.Dispose();
    }

    /// <summary>Trie-constrained beam search, 20 beams: the top 20 items per query, a target outside them is a miss.</summary>
    [Benchmark(Baseline = true)]
    public int BeamSearch20()
    {
        var found = _search.Search(_decoder, _constraint).Count;
        BenchmarkEnvironment.Synchronize(_decoder.Device);
        return found;
    }

    /// <summary>Exact trie-normalised log-likelihood of every item (single-child nodes skipped).</summary>
    [Benchmark]
    public float ExactTrieNormalised() => Score(_trieScorer);

    /// <summary>Exact model log-likelihood of every item (every inner node decoded, end-of-sequence step included).</summary>
    [Benchmark]
    public float ExactVocabularyNormalised() => Score(_vocabularyScorer);

    private float Score(CatalogScorer scorer)
    {
        using var scores = scorer.Score(_decoder);
        var checksum = scores.max().item<float>();
        BenchmarkEnvironment.Synchronize(_decoder.Device);
        return checksum;
    }
}
