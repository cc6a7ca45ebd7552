using BenchmarkDotNet.Attributes;
using GenSR.Core;

namespace GenSR.Benchmarks;

/// <summary>
/// Metrics over 100k cases x 100 candidates (1 positive + 99 sampled negatives per user): scores -> ranks -> Recall/NDCG/MRR
/// at 5, 10, 20. Single-threaded; the target is under 100 ms on one core. Also times drawing the sampled candidates and
/// ranking generated top-20 lists.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class MetricsBenchmarks
{
    private const int Cases = 100_000;
    private const int Candidates = 100;
    private const int ListLength = 20;
    private const int CatalogSize = 50_000;

    private float[] _scores = [];
    private int[] _targetColumns = [];
    private int[] _ranks = [];
    private int[] _generated = [];
    private int[] _targetItems = [];
    private int[][] _histories = [];
    private int[] _drawBuffer = [];
    private SampledCandidates _sampler = null!;

    /// <summary>Creates seeded scores (with ties), generated lists and histories.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _scores = new float[Cases * Candidates];
        // Quantised scores, so ties occur as they do with low-precision model outputs.
        for (var i = 0; i < _scores.Length; i++) _scores[i] = MathF.Round(random.NextSingle() * 1000f) / 1000f;
        _targetColumns = new int[Cases];
        _ranks = new int[Cases];
        _generated = new int[Cases * ListLength];
        for (var i = 0; i < _generated.Length; i++) _generated[i] = random.Next(CatalogSize);
        _targetItems = new int[Cases];
        for (var i = 0; i < Cases; i++) _targetItems[i] = random.Next(CatalogSize);
        _histories = new int[Cases][];
        for (var i = 0; i < Cases; i++) _histories[i] = Enumerable.Range(0, 20).Select(_ => random.Next(CatalogSize)).ToArray();
        _sampler = new SampledCandidates(CatalogSize, new SampledCandidatesOptions { Seed = 7 });
        _drawBuffer = new int[_sampler.CandidatesPerCase];
    }

    /// <summary>100k x 100 scores -> ranks -> metrics at 5, 10, 20.</summary>
    [Benchmark(Baseline = true)]
    public double ScoresToMetrics()
    {
        TargetRanks.FromScores(_scores, Candidates, _targetColumns, _ranks);
        var accumulator = new MetricsAccumulator();
        accumulator.Add(TaskKind.Recommendation, _ranks);
        return accumulator.Compute(TaskKind.Recommendation)["NDCG@10"];
    }

    /// <summary>100k generated top-20 lists -> ranks -> metrics.</summary>
    [Benchmark]
    public double GeneratedListsToMetrics()
    {
        TargetRanks.FromGeneratedLists(_generated, ListLength, _targetItems, _ranks);
        var accumulator = new MetricsAccumulator();
        accumulator.Add(TaskKind.Search, _ranks);
        return accumulator.Compute(TaskKind.Search)["Recall@20"];
    }

    /// <summary>Draws 1 + 99 candidates for 100k cases from a 50k-item catalogue, excluding 20 history items each.</summary>
    [Benchmark]
    public long DrawSampledCandidates()
    {
        long checksum = 0;
        for (var i = 0; i < Cases; i++)
        {
            _sampler.Draw(i, _targetItems[i], _histories[i], _drawBuffer);
            checksum += _drawBuffer[^1];
        }
        return checksum;
    }
}
