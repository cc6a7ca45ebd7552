using BenchmarkDotNet.Attributes;

namespace GenSR.Benchmarks;

/// <summary>
/// Beam search at 10k, 100k and 1M items with a decoder of hidden size 256, so every step pays a
/// [5120, 256] × [256, 5123] output projection as a small model would (see <see cref="DecodingBeamSearchBenchmarkBase"/>).
/// </summary>
[MedianColumn]
public class DecodingBeamSearchBenchmarks : DecodingBeamSearchBenchmarkBase
{
    /// <summary>Number of items in the catalogue (from <c>GENSR_DECODING_ITEMS</c>, comma-separated; else 10k, 100k and 1M).</summary>
    [ParamsSource(nameof(Catalogues))]
    public int Items { get; set; }

    /// <summary>Catalogue sizes to run.</summary>
    public static IEnumerable<int> Catalogues => BenchmarkEnvironment.Integers("GENSR_DECODING_ITEMS", 10_000, 100_000, 1_000_000);

    /// <inheritdoc />
    protected override int ItemCount => Items;

    /// <inheritdoc />
    protected override int HiddenSize => 256;
}
