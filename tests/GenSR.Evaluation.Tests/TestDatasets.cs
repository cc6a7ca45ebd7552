using GenSR.Core;

namespace GenSR.Evaluation.Tests;

/// <summary>Small hand-built and generated datasets for the tests.</summary>
internal static class TestDatasets
{
    /// <summary>A hand-built catalogue of <paramref name="itemCount"/> items "item-i" titled "Item i" in category "Things".</summary>
    public static ItemCatalog Catalogue(int itemCount) =>
        new(Enumerable.Range(0, itemCount).Select(i => new Item(i, $"item-{i}", $"Item {i}", "", "", ["Things"])));

    /// <summary>A dataset whose users have exactly the given item histories (recommendation events).</summary>
    public static SrDataset WithHistories(ItemCatalog catalog, params int[][] histories)
    {
        var users = histories.Select((_, u) => new User(u, $"user-{u}")).ToArray();
        var events = histories.Select((h, u) => (IReadOnlyList<SrEvent>)h.Select(i => SrEvent.Recommendation(u, i)).ToArray()).ToArray();
        return new SrDataset("tiny", catalog, users, events);
    }

    /// <summary>The split of <see cref="WithHistories"/>.</summary>
    public static DatasetSplit Split(int itemCount, params int[][] histories) =>
        LeaveOneOutSplit.Create(WithHistories(Catalogue(itemCount), histories));

    /// <summary>A small demo dataset (a few hundred users) that the sequential baselines learn from in seconds.</summary>
    public static DatasetSplit SmallDemo { get; } =
        LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 600, Items = 300 }));
}
