using BenchmarkDotNet.Attributes;

namespace GenSR.Benchmarks;

/// <summary>
/// The search machinery's own cost at 1M items: the same searches as <see cref="DecodingBeamSearchBenchmarks"/> with a
/// decoder of hidden size 1, whose step is little more than a log-softmax over [5120, 5123], so that trie lookups and
/// top-k are not hidden behind the model.
/// </summary>
[MedianColumn]
public class DecodingSearchOverheadBenchmarks : DecodingBeamSearchBenchmarkBase
{
    /// <summary>Number of items in the catalogue.</summary>
    [Params(1_000_000)]
    public int Items { get; set; }

    /// <inheritdoc />
    protected override int ItemCount => Items;

    /// <inheritdoc />
    protected override int HiddenSize => 1;
}
