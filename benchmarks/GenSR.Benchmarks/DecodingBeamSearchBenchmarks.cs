using BenchmarkDotNet.Attributes;

namespace GenSR.Benchmarks;

/// <summary>
/// Beam search at 10k, 100k and 1M items with a decoder of hidden size 256, so every step pays a
/// [5120, 256] × [256, 5123] output projection as a small model would (see <see cref="DecodingBeamSearchBenchmarkBase"/>).
/// </summary>
[MedianColumn]
public class DecodingBeamSearchBenchmarks : DecodingBeamSearchBenchmarkBase
{
    /// <summary>Number of items in the catalogue.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Items { get; set; }

    /// <inheritdoc />
    protected override int ItemCount => Items;

    /// <inheritdoc />
    protected override int HiddenSize => 256;
}
