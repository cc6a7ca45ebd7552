using System.Collections.Concurrent;
using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// The keyed serving calls (<see cref="IGenSRRecommender"/>): filters inside the ranking, micro-batching and hot reload. The
/// model is untrained: these tests check the mechanics, not the quality.
/// </summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class ServingTests : IDisposable
{
    private readonly DatasetSplit _split;
    private readonly GenSRPrepared _prepared;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"gensr-serving-{Guid.NewGuid():N}");

    public ServingTests()
    {
        _split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 150, Items = 100, Seed = 23 }));
        _prepared = TinyModel.Prepare(_split, denseDimension: 16);
    }

    public void Dispose()
    {
        _prepared.Model.Dispose();
        _prepared.NewItems?.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private IReadOnlyList<HistoryEvent> Keyed(EvaluationCase c) =>
        c.History.Select(e => new HistoryEvent(_prepared.ItemKeys[e.ItemId], e.Task == TaskKind.Search ? e.Query : null)).ToArray();

    private static string Signature(IReadOnlyList<ScoredItem> items) => string.Join(";", items.Select(s => $"{s.Key}:{s.Score:R}"));

    [Fact]
    public async Task Keyed_calls_filter_inside_the_ranking_and_still_return_k_items()
    {
        using var recommender = new GenSRRecommender(_prepared.Model, _prepared.Builder, _prepared.ItemKeys, maxBatch: 8);
        Assert.Equal(GenSRRankingMode.Fused, recommender.ServingRanking.Mode);
        var c = _split.Test.First(x => x.History.Count >= 5);
        var history = Keyed(c);
        var seen = history.Select(h => h.ItemKey).ToHashSet();

        var unfiltered = await recommender.RecommendAsync(history, 100, ItemFilter.None);
        // The items the unfiltered ranking puts first are the ones a filter must not let through.
        var denied = unfiltered.Where(s => !seen.Contains(s.Key)).Take(10).Select(s => s.Key).ToArray();
        var filtered = await recommender.RecommendAsync(history, 10, new ItemFilter { DeniedKeys = [.. denied, "no-such-key"] });

        Assert.Equal(10, filtered.Count);
        Assert.DoesNotContain(filtered, s => seen.Contains(s.Key) || denied.Contains(s.Key));
        // The same numbers as the id-based call with the same restrictions.
        var ids = recommender.Recommend(c.History, 10, recommender.ServingRanking with
        {
            ExcludeHistory = true, ExcludedItems = denied.Select(recommender.ItemId).ToArray(),
        });
        Assert.Equal(Signature(ids), Signature(filtered));

        // An allow-list smaller than k gives what passes it, and unknown history keys are left out of the history.
        var allowed = _prepared.ItemKeys.Take(6).ToArray();
        var few = await recommender.SearchAsync([.. history, HistoryEvent.Viewed("unknown-item")], c.Query, 10, new ItemFilter { AllowedKeys = allowed });
        Assert.Equal(allowed.Where(k => !seen.Contains(k)).Order(), few.Select(s => s.Key).Order());
        var same = await recommender.SearchAsync(history, c.Query, 10, new ItemFilter { AllowedKeys = allowed });
        Assert.Equal(Signature(same), Signature(few));

        // Scoring gives the ranking's numbers for known keys and leaves unknown ones out.
        var scored = await recommender.ScoreAsync(history, c.Query, [filtered[3].Key, "nope", unfiltered[0].Key]);
        Assert.Equal(2, scored.Count);
        var searched = await recommender.SearchAsync(history, c.Query, 100, ItemFilter.None);
        Assert.All(scored, s => Assert.Equal(searched.Single(x => x.Key == s.Key).Score, s.Score));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => recommender.RecommendAsync(history, 0));
        await Assert.ThrowsAsync<ArgumentException>(() => recommender.SearchAsync(history, " ", 5));
        Assert.Throws<ArgumentException>(() => recommender.ServingRanking = new GenSRRankingOptions());
        Assert.Throws<ArgumentException>(() => recommender.ServingRanking = new GenSRRankingOptions { Mode = GenSRRankingMode.Exact, ExcludeHistory = true });
    }

    [Fact]
    public async Task Micro_batched_answers_equal_the_unbatched_ones_and_calls_share_batches()
    {
        using var recommender = new GenSRRecommender(_prepared.Model, _prepared.Builder, _prepared.ItemKeys, maxBatch: 64);
        var cases = _split.Test.Take(24).ToArray();
        Func<IGenSRRecommender, int, Task<IReadOnlyList<ScoredItem>>>[] calls =
        [
            (r, i) => r.RecommendAsync(Keyed(cases[i]), 5),
            (r, i) => r.SearchAsync(Keyed(cases[i]), cases[i].Query, 7, new ItemFilter { DeniedKeys = [_prepared.ItemKeys[i]] }),
            (r, i) => r.ScoreAsync(Keyed(cases[i]), null, _prepared.ItemKeys.Skip(i).Take(5).ToArray()),
        ];
        var expected = new Dictionary<(int, int), IReadOnlyList<ScoredItem>>();
        for (var kind = 0; kind < calls.Length; kind++)
            for (var i = 0; i < cases.Length; i++) expected[(kind, i)] = await calls[kind](recommender, i);

        await using var batcher = new GenSRMicroBatcher(recommender, new MicroBatchingOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(20) });
        var work = Enumerable.Range(0, 4).SelectMany(round => Enumerable.Range(0, calls.Length * cases.Length))
            .Select(n => (Kind: n % calls.Length, Case: n / calls.Length)).ToArray();
        var answers = await Task.WhenAll(work.Select(w => Task.Run(() => calls[w.Kind](batcher, w.Case))));

        for (var n = 0; n < work.Length; n++)
        {
            var want = expected[(work[n].Kind, work[n].Case)];
            var got = answers[n];
            Assert.Equal(want.Count, got.Count);
            // A batch pads histories to its longest: the same items, scores equal to float rounding.
            for (var j = 0; j < want.Count; j++)
            {
                Assert.Equal(want[j].Score, got[j].Score, 1e-4f);
                if (j + 1 < want.Count && want[j].Score - want[j + 1].Score > 1e-3f) Assert.Equal(want[j].Key, got[j].Key);
            }
            Assert.Equal(want.Select(s => s.Key).Order(), got.Select(s => s.Key).Order());
        }
        Assert.Equal(work.Length, batcher.Answered);
        Assert.True(batcher.Batches < work.Length / 2, $"{work.Length} calls took {batcher.Batches} batches");
    }

    [Fact]
    public async Task A_cancelled_call_completes_as_cancelled_and_disposing_answers_what_is_queued()
    {
        using var recommender = new GenSRRecommender(_prepared.Model, _prepared.Builder, _prepared.ItemKeys);
        var batcher = new GenSRMicroBatcher(recommender, new MicroBatchingOptions { MaxDelay = TimeSpan.FromMilliseconds(200) });
        var history = Keyed(_split.Test[0]);
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.RecommendAsync(history, 5, cancellationToken: cancel.Token);
        var queued = Enumerable.Range(0, 5).Select(_ => batcher.RecommendAsync(history, 5)).ToArray();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await batcher.DisposeAsync();
        Assert.All(queued, t => Assert.Equal(5, t.Result.Count));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.RecommendAsync(history, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MicroBatchingOptions { MaxBatch = 0 });
    }

    [Fact]
    public async Task Reloading_checkpoints_under_load_fails_no_call_and_every_answer_is_one_models()
    {
        var first = Path.Combine(_root, "a");
        var second = Path.Combine(_root, "b");
        GenSRCheckpoint.Save(first, _prepared.Model, _prepared.Builder, _prepared.ItemKeys);
        using (no_grad())
            foreach (var (_, p) in _prepared.Model.named_parameters()) p.mul_(0.5);
        GenSRCheckpoint.Save(second, _prepared.Model, _prepared.Builder, _prepared.ItemKeys);

        using var recommender = GenSRRecommender.Load(first, TorchSharp.torch.CPU, maxBatch: 16);
        await using var batcher = new GenSRMicroBatcher(recommender, new MicroBatchingOptions { MaxBatch = 8, MaxDelay = TimeSpan.FromMilliseconds(1) });
        var cases = _split.Test.Take(6).ToArray();
        var answers = new Dictionary<string, IReadOnlyList<ScoredItem>>[2];
        for (var m = 0; m < 2; m++)
        {
            recommender.Reload(m == 0 ? first : second, TorchSharp.torch.CPU);
            answers[m] = [];
            for (var i = 0; i < cases.Length; i++)
                answers[m][cases[i].Query] = await recommender.SearchAsync(Keyed(cases[i]), cases[i].Query, 5);
        }
        Assert.False(Same(answers[0][cases[0].Query], answers[1][cases[0].Query]));

        var errors = new ConcurrentBag<Exception>();
        var strangers = new ConcurrentBag<string>();
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                var c = cases[random.Next(cases.Length)];
                try
                {
                    IGenSRRecommender target = t % 2 == 0 ? batcher : recommender;
                    var answer = await target.SearchAsync(Keyed(c), c.Query, 5);
                    Interlocked.Increment(ref calls);
                    // A micro-batch pads histories, so its scores may differ from a lone call's in the last bits.
                    if (!Same(answers[0][c.Query], answer) && !Same(answers[1][c.Query], answer)) strangers.Add(Signature(answer));
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        })).ToArray();
        // Ten reloads, ending on the first checkpoint, each after the clients made a few more calls (so calls and swaps interleave).
        var during = 0;
        for (var r = 0; r < 10; r++)
        {
            var mark = Volatile.Read(ref calls);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref calls) < mark + 3 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(1);
            during += Volatile.Read(ref calls) - mark;
            recommender.Reload(r % 2 == 0 ? second : first, TorchSharp.torch.CPU);
        }
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Empty(errors);
        Assert.Empty(strangers);
        Assert.True(during >= 30, $"only {during} calls ran during the reloads");
        Assert.Throws<DirectoryNotFoundException>(() => recommender.Reload(Path.Combine(_root, "missing"), TorchSharp.torch.CPU));
        // A failed reload leaves the last good model serving.
        Assert.True(Same(answers[0][cases[0].Query], await recommender.SearchAsync(Keyed(cases[0]), cases[0].Query, 5)));
    }

    /// <summary>The same items with the same scores, to float rounding (items whose scores nearly tie may swap places).</summary>
    private static bool Same(IReadOnlyList<ScoredItem> a, IReadOnlyList<ScoredItem> b) =>
        a.Count == b.Count
        && a.Zip(b).All(p => Math.Abs(p.First.Score - p.Second.Score) <= 1e-4f)
        && a.Select(s => s.Key).Order().SequenceEqual(b.Select(s => s.Key).Order());
}
