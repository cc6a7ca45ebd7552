using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace GenSR.Core.Tests.Data.Splits;

/// <summary>Invariants of the leave-one-out split over random datasets (events identified by user and a unique timestamp).</summary>
public sealed class LeaveOneOutSplitProperties
{
    public sealed record Spec(int Seed, int Users, int Items, int MaxLength, int MaxHistory);

    private static Arbitrary<Spec> Specs =>
        (from seed in Gen.Choose(0, int.MaxValue - 1)
         from users in Gen.Choose(1, 12)
         from items in Gen.Choose(1, 6)
         from maxLength in Gen.Choose(0, 14)
         from maxHistory in Gen.Choose(1, 6)
         select new Spec(seed, users, items, maxLength, maxHistory)).ToArbitrary();

    private static (SrDataset Dataset, DatasetSplit Split) Build(Spec spec)
    {
        var random = new Random(spec.Seed);
        var items = Enumerable.Range(0, spec.Items).Select(i => new Item(i, $"i{i}", $"Item {i}", "", "", [$"Kind {i}"])).ToArray();
        var histories = new SrEvent[spec.Users][];
        for (var u = 0; u < spec.Users; u++)
        {
            // Timestamps 1, 2, … identify events; items repeat freely.
            histories[u] = Enumerable.Range(1, random.Next(spec.MaxLength + 1))
                .Select(t => random.Next(2) == 0
                    ? SrEvent.Recommendation(u, random.Next(spec.Items), t)
                    : SrEvent.Search(u, random.Next(spec.Items), $"query {t}", t))
                .ToArray();
        }
        var dataset = new SrDataset("random", new ItemCatalog(items), Enumerable.Range(0, spec.Users).Select(u => new User(u, $"u{u}")).ToArray(), histories);
        return (dataset, LeaveOneOutSplit.Create(dataset, new SplitOptions { MaxHistory = spec.MaxHistory }));
    }

    private static (int User, long Time) Id(SrEvent e) => (e.UserId, e.Timestamp!.Value);

    [Property(MaxTest = 200)]
    public Property No_validation_or_test_event_leaks_into_training() => Prop.ForAll(Specs, spec =>
    {
        var (dataset, split) = Build(spec);
        var heldOut = split.Validation.Concat(split.Test).Select(c => Id(c.Target)).ToHashSet();
        var noLeakInExamples = split.TrainingExamples.All(x => !heldOut.Contains(Id(x.Target)) && x.History.All(h => !heldOut.Contains(Id(h))));
        var expectedInteractions = dataset.Histories.SelectMany(h => h)
            .Where(e => !heldOut.Contains(Id(e)))
            .Select(e => new UserItemInteraction(e.UserId, e.ItemId));
        var trainingEventsHeldOut = Enumerable.Range(0, spec.Users).SelectMany(split.GetTrainingEvents).Any(e => heldOut.Contains(Id(e)));
        return noLeakInExamples && !trainingEventsHeldOut && split.TrainingInteractions.SequenceEqual(expectedInteractions);
    });

    [Property(MaxTest = 200)]
    public Property Histories_are_strictly_earlier_contiguous_and_capped() => Prop.ForAll(Specs, spec =>
    {
        var (dataset, split) = Build(spec);
        bool Valid(int user, IReadOnlyList<SrEvent> history, SrEvent target, int targetIndex) =>
            history.Count == Math.Min(spec.MaxHistory, targetIndex)
            && history.All(h => h.UserId == user && h.Timestamp < target.Timestamp)
            && history.SequenceEqual(dataset.Histories[user].Skip(targetIndex - history.Count).Take(history.Count))
            && dataset.Histories[user][targetIndex] == target;
        return split.TrainingExamples.All(x => x.History.Count >= 1 && Valid(x.UserId, x.History, x.Target, x.TargetIndex))
            && split.Validation.Concat(split.Test).All(c => Valid(c.UserId, c.History, c.Target, c.TargetIndex));
    });

    [Property(MaxTest = 200)]
    public Property Counts_add_up() => Prop.ForAll(Specs, spec =>
    {
        var (dataset, split) = Build(spec);
        var evaluated = dataset.Histories.Count(h => h.Count >= LeaveOneOutSplit.MinEventsForEvaluation);
        var expectedExamples = dataset.Histories.Sum(h => Math.Max(0, (h.Count >= 3 ? h.Count - 2 : h.Count) - 1));
        return split.Validation.Count == evaluated
            && split.Test.Count == evaluated
            && split.TrainingInteractions.Count + split.Validation.Count + split.Test.Count == dataset.EventCount
            && split.TrainingExamples.Count == expectedExamples
            && split.Test.All(c => c.TargetIndex == dataset.Histories[c.UserId].Count - 1)
            && split.Validation.All(c => c.TargetIndex == dataset.Histories[c.UserId].Count - 2);
    });

    [Property(MaxTest = 50)]
    public Property Split_is_deterministic_and_every_case_has_its_query() => Prop.ForAll(Specs, spec =>
    {
        var (_, first) = Build(spec);
        var (_, second) = Build(spec);
        return first.TrainingExamples.Select(x => (x.UserId, x.Target, x.TargetIndex)).SequenceEqual(second.TrainingExamples.Select(x => (x.UserId, x.Target, x.TargetIndex)))
            && first.Test.Select(c => (c.Target, c.Query)).SequenceEqual(second.Test.Select(c => (c.Target, c.Query)))
            && first.Test.All(c => c.Query == (c.Target.Task == TaskKind.Search ? c.Target.Query : $"kind {c.Target.ItemId}"));
    });
}
