using FsCheck;
using FsCheck.Fluent;
using GenSR.Core;

namespace GenSR.Representation.Tests.Quantization;

public sealed class CollisionResolverTests
{
    [Fact]
    public void Collision_report_counts_shared_sequences()
    {
        var codes = new[] { new[] { 0, 1 }, new[] { 0, 1 }, new[] { 0, 1 }, new[] { 2, 2 }, new[] { 2, 2 }, new[] { 3, 0 } };
        var report = CollisionReport.Measure(codes);
        Assert.Equal((6, 3, 2, 5, 3), (report.ItemCount, report.DistinctSequences, report.CollidingGroups, report.CollidingItems, report.LargestGroup));
        Assert.Equal(5.0 / 6, report.CollisionRate, 10);
    }

    [Fact]
    public void Sinkhorn_assignment_finds_the_cheapest_one_to_one_assignment()
    {
        // Greedy by cost takes (0 → 0, cost 1) and leaves item 1 with cost 10; the optimum is 0 → 1, 1 → 0 (total 4).
        var cost = new[] { new[] { 1.0, 2.0, 9.0 }, new[] { 2.0, 10.0, 10.0 } };
        Assert.True(SinkhornAssignment.TryAssign(cost, 0.05, 2000, 1e-3, out var assignment));
        Assert.Equal(new[] { 1, 0 }, assignment);
        Assert.Equal(new[] { 0, 1 }, SinkhornAssignment.Greedy(cost)); // total 11 (ties broken by column)
    }

    [Fact]
    public void Colliding_items_move_to_the_nearest_free_last_level_codes()
    {
        // Items 0, 1, 2 share (0, 0); item 3 holds (0, 1). Codes 2 and 3 are free under prefix 0.
        var codes = new[] { new[] { 0, 0 }, new[] { 0, 0 }, new[] { 0, 0 }, new[] { 0, 1 } };
        var costs = new Dictionary<int, double[]>
        {
            [0] = new[] { 0.1, 5, 5, 5 }, // keeper: closest to code 0
            [1] = new[] { 1.0, 5, 0.5, 3 },
            [2] = new[] { 1.0, 5, 0.6, 0.7 },
            [3] = new[] { 5.0, 0.1, 5, 5 },
        };
        var (resolved, sizes, report) = CollisionResolver.Resolve(codes, new[] { 1, 4 }, CollisionStrategy.ReassignLastLevel, items => items.Select(i => costs[i]).ToArray());

        Assert.Equal(new[] { 0, 0 }, resolved[0]);
        Assert.Equal(new[] { 0, 2 }, resolved[1]);
        Assert.Equal(new[] { 0, 3 }, resolved[2]);
        Assert.Equal(new[] { 0, 1 }, resolved[3]);
        Assert.Equal(new[] { 1, 4 }, sizes);
        Assert.Equal((2, 1, 0, 0), (report.ReassignedItems, report.SinkhornPrefixes, report.GreedyPrefixes, report.AppendedLevelSize));
    }

    [Fact]
    public void Greedy_is_used_when_sinkhorn_does_not_converge_and_a_level_is_appended_when_codes_run_out()
    {
        var codes = new[] { new[] { 0, 0 }, new[] { 0, 0 }, new[] { 1, 0 }, new[] { 1, 0 }, new[] { 1, 0 } };
        double[][] Costs(int[] items) => items.Select(i => new[] { 0.0, 1.0 + i }).ToArray();

        var (greedy, _, greedyReport) = CollisionResolver.Resolve(codes.Select(c => c.ToArray()).ToArray(), new[] { 2, 2 }, CollisionStrategy.ReassignLastLevel, Costs, iterations: 0);
        Assert.Equal(1, greedyReport.GreedyPrefixes);      // prefix 0: one mover, one free code, Sinkhorn given no iterations
        Assert.Equal(1, greedyReport.OverflowingPrefixes); // prefix 1: two movers, one free code
        Assert.Equal(3, greedyReport.AppendedLevelSize);   // prefix 1 is left as is: three items share (1, 0)
        Assert.True(CollisionReport.Measure(greedy).IsCollisionFree);
        _ = new IdentifierTable(greedy);
    }

    [Fact]
    public void Resolution_always_yields_a_valid_collision_free_table_property()
    {
        var property = Prop.ForAll(
            Gen.Choose(1, 60).SelectMany(n => Gen.Choose(1, 3).SelectMany(levels => Gen.Choose(1, 4).SelectMany(size =>
                Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, size - 1), levels), n).Select(codes => (codes, levels, size))))).ToArbitrary(),
            Gen.Elements(CollisionStrategy.ReassignLastLevel, CollisionStrategy.AppendLevel).ToArbitrary(),
            (input, strategy) =>
            {
                var (codes, levels, size) = input;
                var original = codes.Select(c => c.ToArray()).ToArray();
                var (resolved, sizes, report) = CollisionResolver.Resolve(codes, Enumerable.Repeat(size, levels).ToArray(), strategy,
                    items => items.Select(i => Enumerable.Range(0, size).Select(c => (double)((i * 7 + c * 3) % 5)).ToArray()).ToArray());
                var table = new IdentifierTable(resolved, sizes); // throws on any collision or out-of-range code
                var prefixesKept = resolved.Select((c, i) => c.Take(levels - 1).SequenceEqual(original[i].Take(levels - 1))).All(x => x);
                return table.ItemCount == original.Length && report.After.IsCollisionFree && prefixesKept;
            });
        property.QuickCheckThrowOnFailure();
    }
}
