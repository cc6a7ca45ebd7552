using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GenSR.Core;
using GenSR.Representation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// RQ-KMeans (3 levels × 256 codes, k-means++ seeding, up to 50 Lloyd iterations per level, Sinkhorn collision
/// re-assignment) on 100k × 64 vectors from 1,000 overlapping Gaussian clusters (unit centres, unit noise). The device comes from <c>GENSR_DEVICE</c> (auto, cpu, cuda or cuda:N; default auto),
/// torch's CPU threads from <c>GENSR_TORCH_THREADS</c> (default: torch's choice).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class RepresentationQuantizationBenchmarks
{
    private ItemEmbeddings _embeddings = null!;
    private ResidualKMeansQuantizer _quantizer = null!;
    private Device _device = null!;

    /// <summary>Draws the clustered vectors and creates the quantizer on the device.</summary>
    [GlobalSetup]
    public void Setup()
    {
        const int items = 100_000, dimension = 64, clusters = 1_000;
        var random = new Random(5);
        var centres = new float[clusters * dimension];
        for (var k = 0; k < centres.Length; k++) centres[k] = (float)Gaussian(random);
        var values = new float[items * dimension];
        for (var i = 0; i < items; i++)
        {
            var c = random.Next(clusters);
            for (var d = 0; d < dimension; d++) values[i * dimension + d] = centres[c * dimension + d] + (float)Gaussian(random);
        }
        _embeddings = new ItemEmbeddings(new EmbeddingMatrix(values, items, dimension), IdentifierSource.Collaborative, "benchmark");
        _device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
        _quantizer = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 3, CodebookSize = 256, Device = _device });
    }

    /// <summary>Quantizes all 100k vectors into a collision-free 3-level identifier table.</summary>
    [Benchmark(Description = "RQ-KMeans 100k x 64 (3 x 256)")]
    public int Quantize()
    {
        var items = _quantizer.Quantize(_embeddings).Identifiers.ItemCount;
        BenchmarkEnvironment.Synchronize(_device);
        return items;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
