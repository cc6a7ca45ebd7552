using GenSR.Core.Data;
using GenSR.Core.Data.Splits;

namespace GenSR.Core.Tests.Data.Splits;

public sealed class LeaveOneOutSplitTests
{
    private static readonly Item[] Items =
    [
        new(0, "a", "Drill", "", "", ["Tools", "Power Tools", "Drills"]),
        new(1, "b", "Saw", "", "", ["Tools", "Hand Tools", "Saws"]),
        new(2, "c", "Tape", "", "", ["Tapes"]),
    ];

    private static SrDataset Dataset(params SrEvent[][] histories) =>
        new("t", new ItemCatalog(Items), histories.Select((_, u) => new User(u, $"u{u}")).ToArray(), histories);

    [Fact]
    public void A_target_item_without_any_text_is_named_when_the_split_is_made()
    {
        Item[] items = [.. Items, new(3, "blank", "", "", "", [])];
        var dataset = new SrDataset("t", new ItemCatalog(items), [new User(0, "u0")],
            [[SrEvent.Recommendation(0, 0, 1), SrEvent.Recommendation(0, 1, 2), SrEvent.Recommendation(0, 3, 3)]]);
        var e = Assert.Throws<InvalidDataException>(() => LeaveOneOutSplit.Create(dataset));
        Assert.Contains("key \"blank\"", e.Message);
        Assert.Contains("test target", e.Message);
        // As a history item it is harmless.
        var fine = new SrDataset("t", new ItemCatalog(items), [new User(0, "u0")],
            [[SrEvent.Recommendation(0, 3, 1), SrEvent.Recommendation(0, 1, 2), SrEvent.Recommendation(0, 0, 3)]]);
        Assert.Single(LeaveOneOutSplit.Create(fine).Test);
    }

    [Fact]
    public void Last_event_is_test_second_to_last_validation_rest_training()
    {
        SrEvent[] events =
        [
            SrEvent.Recommendation(0, 0, 1), SrEvent.Recommendation(0, 1, 2), SrEvent.Recommendation(0, 2, 3),
            SrEvent.Search(0, 0, "cordless drill", 4), SrEvent.Recommendation(0, 1, 5),
        ];
        var split = LeaveOneOutSplit.Create(Dataset(events));

        Assert.Equal(events[..3], split.GetTrainingEvents(0));
        Assert.Equal([new UserItemInteraction(0, 0), new(0, 1), new(0, 2)], split.TrainingInteractions);
        Assert.Equal(2, split.TrainingExamples.Count);
        Assert.Equal(events[..1], split.TrainingExamples[0].History);
        Assert.Equal(events[1], split.TrainingExamples[0].Target);
        Assert.Equal(events[..2], split.TrainingExamples[1].History);
        Assert.Equal(2, split.TrainingExamples[1].TargetIndex);

        var validation = Assert.Single(split.Validation);
        Assert.Equal(events[3], validation.Target);
        Assert.Equal(events[..3], validation.History);
        Assert.Equal("cordless drill", validation.Query); // the event's own query
        var test = Assert.Single(split.Test);
        Assert.Equal(events[4], test.Target);
        Assert.Equal(events[..4], test.History); // the validation event is history for the test case
        Assert.Equal("tools hand saws", test.Query); // synthesised from the item's categories
        Assert.Equal(4, test.TargetIndex);
    }

    [Fact]
    public void Users_with_fewer_than_three_events_only_train()
    {
        var split = LeaveOneOutSplit.Create(Dataset(
            [SrEvent.Recommendation(0, 0, 1), SrEvent.Recommendation(0, 1, 2)],
            [SrEvent.Recommendation(1, 2, 1)],
            []));

        Assert.Empty(split.Validation);
        Assert.Empty(split.Test);
        Assert.Equal(3, split.TrainingInteractions.Count);
        var example = Assert.Single(split.TrainingExamples);
        Assert.Equal(0, example.UserId);
        Assert.Empty(split.GetTrainingEvents(2));
    }

    [Fact]
    public void Histories_are_capped_but_seen_items_cover_the_whole_prefix()
    {
        var events = Enumerable.Range(0, 8).Select(t => SrEvent.Recommendation(0, t < 5 ? t % 2 : 2, t)).ToArray();
        var split = LeaveOneOutSplit.Create(Dataset(events), new SplitOptions { MaxHistory = 2 });

        Assert.All(split.TrainingExamples, e => Assert.InRange(e.History.Count, 1, 2));
        var test = split.Test.Single();
        Assert.Equal(events[5..7], test.History);
        Assert.Equal(new HashSet<int> { 0, 1, 2 }, split.GetItemsSeenBefore(test));
        Assert.Equal(new HashSet<int> { 0, 1, 2 }, split.GetItemsSeenBefore(split.Validation.Single()));
    }

    [Fact]
    public void Options_are_validated_with_the_option_name()
    {
        Assert.Equal("MaxHistory", Assert.Throws<ArgumentOutOfRangeException>(() => new SplitOptions { MaxHistory = 0 }).ParamName);
        Assert.Equal("QuerySynthesis", Assert.Throws<ArgumentNullException>(() => new SplitOptions { QuerySynthesis = null! }).ParamName);
    }

    [Fact]
    public void A_case_from_another_dataset_is_rejected()
    {
        var split = LeaveOneOutSplit.Create(Dataset([SrEvent.Recommendation(0, 0, 1), SrEvent.Recommendation(0, 1, 2), SrEvent.Recommendation(0, 2, 3)]));
        var foreign = new EvaluationCase(0, [], SrEvent.Recommendation(0, 0, 9), "q", 7);

        Assert.Throws<ArgumentException>(() => split.GetItemsSeenBefore(foreign));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.GetTrainingEvents(1));
    }
}
