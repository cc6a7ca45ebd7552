
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
    public void A_target_item_without_any_text_makes_a_case_without_a_query_for_recommendation_only()
    {
        Item[] items = [.. Items, new(3, "blank", "", "", "", [])];
        var dataset = new SrDataset("t", new ItemCatalog(items), [new User(0, "u0")],
            [[SrEvent.Recommendation(0, 0, 1), SrEvent.Recommendation(0, 1, 2), SrEvent.Recommendation(0, 3, 3)]]);
        var test = Assert.Single(LeaveOneOutSplit.Create(dataset).Test);
        Assert.Equal(3, test.TargetItemId);
        Assert.False(test.HasQuery);
        Assert.Equal("", test.Query);
        Assert.True(Assert.Single(LeaveOneOutSplit.Create(dataset).Validation).HasQuery);
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

    private static SrEvent[] Events(int user, params int[] items) => items.Select((item, t) => SrEvent.Recommendation(user, item, t)).ToArray();

    [Fact]
    public void All_for_training_keeps_every_event_in_training_and_makes_no_cases()
    {
        var dataset = Dataset(Events(0, 0, 1, 2, 0), Events(1, 1, 2));

        var split = LeaveOneOutSplit.AllForTraining(dataset);

        Assert.Empty(split.Validation);
        Assert.Empty(split.Test);
        Assert.Equal(6, split.TrainingInteractions.Count);
        Assert.Equal(4, split.GetTrainingEvents(0).Count);
        Assert.Equal(3 + 1, split.TrainingExamples.Count); // every prefix with at least one history event
    }

    [Fact]
    public void Cutoffs_of_your_own_give_the_next_event_as_validation_and_the_one_after_as_test()
    {
        var dataset = Dataset(Events(0, 0, 1, 2, 0, 1), Events(1, 1, 2), Events(2, 2, 0, 1));

        var split = LeaveOneOutSplit.AtCutoffs(dataset, [2, 1, 3]);

        Assert.Equal([0, 1], split.Validation.Select(c => c.UserId));
        Assert.Equal([0], split.Test.Select(c => c.UserId));
        Assert.Equal(2, split.Validation[0].TargetIndex);
        Assert.Equal(3, split.Test[0].TargetIndex);
        Assert.Equal([0, 1, 2], split.Test[0].History.Select(e => e.ItemId)); // the validation event is in the test history
        Assert.Equal(2 + 1 + 3, split.TrainingInteractions.Count);
        // Leave-one-out is the cutoff at length - 2 for users with 3 or more events.
        var loo = LeaveOneOutSplit.Create(dataset);
        var same = LeaveOneOutSplit.AtCutoffs(dataset, [3, 2, 1]);
        Assert.Equal(loo.Test.Select(c => (c.UserId, c.TargetIndex)), same.Test.Select(c => (c.UserId, c.TargetIndex)));
        Assert.Equal(loo.Validation.Select(c => (c.UserId, c.TargetIndex)), same.Validation.Select(c => (c.UserId, c.TargetIndex)));
        Assert.Equal(loo.TrainingExamples.Count, same.TrainingExamples.Count);

        Assert.Contains("one per user", Assert.Throws<ArgumentException>(() => LeaveOneOutSplit.AtCutoffs(dataset, [1, 1])).Message);
        Assert.Contains("user 1 (key \"u1\") has 2 events", Assert.Throws<ArgumentException>(() => LeaveOneOutSplit.AtCutoffs(dataset, [1, 3, 1])).Message, StringComparison.OrdinalIgnoreCase);
    }
}
