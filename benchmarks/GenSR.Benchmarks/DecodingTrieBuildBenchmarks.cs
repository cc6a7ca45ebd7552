using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GenSR.Core;
using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Benchmarks;

/// <summary>
/// Building the prefix trie of 10k, 100k and 1M random 4-level × 256-code identifiers (with eos), and uploading it.
/// The "Trie MB" and "B/item" columns give the size of the compiled arrays (host; the device copy adds 8 bytes).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(TrieSizeConfig))]
public class DecodingTrieBuildBenchmarks
{
    private IdentifierTable _table = null!;

    /// <summary>Number of items in the catalogue.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Items { get; set; }

    private Device _device = null!;

    /// <summary>Draws the catalogue and resolves the upload device (<c>GENSR_DEVICE</c>; default: CUDA when available).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _table = DecodingCatalog.RandomTable(Items);
        _device = BenchmarkEnvironment.Device();
        BenchmarkEnvironment.ApplyThreads();
    }

    /// <summary>Host build: sort, breadth-first numbering, CSR arrays.</summary>
    [Benchmark(Baseline = true)]
    public PrefixTrie Build() => DecodingCatalog.Trie(_table);

    /// <summary>Host build and upload to the device (waits for the copy to land).</summary>
    [Benchmark]
    public long BuildAndUpload()
    {
        using var onDevice = DecodingCatalog.Trie(_table).ToDevice(_device);
        BenchmarkEnvironment.Synchronize(_device);
        return onDevice.Bytes;
    }

    private sealed class TrieSizeConfig : ManualConfig
    {
        public TrieSizeConfig() => AddColumn(new TrieSizeColumn(perItem: false), new TrieSizeColumn(perItem: true));
    }

    /// <summary>Builds the benchmarked trie once in the host process to report its size next to the timings.</summary>
    private sealed class TrieSizeColumn(bool perItem) : IColumn
    {
        private static readonly Dictionary<int, PrefixTrie> Built = new();

        public string Id => perItem ? "TrieBytesPerItem" : "TrieMegabytes";
        public string ColumnName => perItem ? "B/item" : "Trie MB";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => perItem ? 1 : 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => perItem ? "Bytes of the compiled trie per item" : "Megabytes (10^6 bytes) of the compiled trie";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var items = (int)benchmarkCase.Parameters["Items"];
            lock (Built)
            {
                if (!Built.TryGetValue(items, out var trie)) Built[items] = trie = DecodingCatalog.Trie(DecodingCatalog.RandomTable(items));
                return perItem ? trie.BytesPerItem.ToString("F1") : (trie.Bytes / 1e6).ToString("F1");
            }
        }
    }
}
