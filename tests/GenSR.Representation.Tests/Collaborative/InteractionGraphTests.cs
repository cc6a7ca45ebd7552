
namespace GenSR.Representation.Tests.Collaborative;

public sealed class InteractionGraphTests
{
    [Fact]
    public void Pairs_are_deduplicated_and_stored_by_user_then_item()
    {
        var graph = new InteractionGraph(3, 4, new UserItemPair[] { new(2, 1), new(0, 3), new(0, 1), new(2, 1), new(1, 0) });

        Assert.Equal(4, graph.PairCount);
        Assert.Equal(1, graph.DuplicatePairCount);
        Assert.Equal(new[] { 0, 2, 3, 4 }, graph.UserOffsets.ToArray());
        Assert.Equal(new[] { 1, 3, 0, 1 }, graph.Items.ToArray());
        Assert.Equal(new[] { 0, 0, 1, 2 }, graph.PairUsers());
        Assert.Equal(new[] { 1, 2, 0, 1 }, graph.ItemDegrees.ToArray());
        Assert.True(graph.Contains(0, 3));
        Assert.False(graph.Contains(1, 3));
        Assert.Equal(2, graph.UserDegree(0));
    }

    [Fact]
    public void Out_of_range_ids_are_rejected_with_the_pair_position()
    {
        var badItem = Assert.Throws<ArgumentException>(() => new InteractionGraph(2, 3, new UserItemPair[] { new(0, 0), new(1, 3) }));
        Assert.Contains("Pair 1", badItem.Message);
        Assert.Contains("item 3", badItem.Message);
        var badUser = Assert.Throws<ArgumentException>(() => new InteractionGraph(2, 3, new UserItemPair[] { new(-1, 0) }));
        Assert.Contains("user -1", badUser.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InteractionGraph(0, 3, Array.Empty<UserItemPair>()));
    }

    [Fact]
    public void Validation_targets_must_be_items_or_minus_one()
    {
        var targets = new ValidationTargets(new[] { 2, -1, 0 }, 3);
        Assert.Equal(2, targets.EvaluableUserCount);
        var error = Assert.Throws<ArgumentException>(() => new ValidationTargets(new[] { 0, 5 }, 3));
        Assert.Contains("user 1", error.Message);
    }
}
