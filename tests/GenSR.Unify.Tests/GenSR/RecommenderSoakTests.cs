using System.Collections.Concurrent;
using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// A concurrency soak of <see cref="GenSRRecommender"/>: many threads of mixed calls against serial answers, and items added
/// while calls are in flight. The model is untrained (the soak checks the mechanics, not the quality).
/// </summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class RecommenderSoakTests
{
    private const int Threads = 16;
    private const int CallsPerThread = 200;

    private static string Signature(IReadOnlyList<ScoredItem> items) => string.Join(";", items.Select(s => $"{s.ItemId}:{s.Score:R}"));

    [Fact]
    public void Sixteen_threads_of_mixed_calls_get_the_serial_answers_and_adding_items_mid_flight_breaks_no_call()
    {
        TorchRuntime.SetThreads(1);
        var demo = DemoDataset.Generate(new DemoDatasetOptions { Users = 150, Items = 100, Seed = 17 });
        var held = demo.Catalog.Where(i => i.Id >= 90).ToArray();
        var kept = new ItemCatalog(demo.Catalog.Where(i => i.Id < 90));
        var histories = demo.Histories.Select(h => (IReadOnlyList<SrEvent>)h.Where(e => e.ItemId < 90).ToArray()).ToArray();
        var split = LeaveOneOutSplit.Create(new SrDataset("soak", kept, demo.Users, histories));
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4, DenseDimension = 16,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        });
        using var model = prepared.Model;
        model.eval();
        using var recommender = new GenSRRecommender(model, prepared.Builder, prepared.ItemKeys, maxBatch: 4, newItems: prepared.NewItems);
        var cases = split.Test.Take(12).ToArray();
        var fused = new GenSRRankingOptions { Mode = GenSRRankingMode.Fused, ExcludeHistory = true };
        var exact = new GenSRRankingOptions { Mode = GenSRRankingMode.Exact, AllowedItems = Enumerable.Range(0, 60).ToArray() };
        // Call kinds: beam-search recommendation, fused search with exclusions, exact ranking with an allow-list, generative
        // candidate scoring, a batch.
        Func<int, string>[] calls =
        [
            i => Signature(recommender.Recommend(cases[i % cases.Length].History, 5)),
            i => Signature(recommender.Search(cases[i % cases.Length].History, cases[i % cases.Length].Query, 5, fused)),
            i => Signature(recommender.Recommend(cases[i % cases.Length].History, 5, exact)),
            i => Signature(recommender.ScoreCandidates(cases[i % cases.Length].History, TaskKind.Search, cases[i % cases.Length].Query, [0, 7, 13, 21], CandidateScoring.Generative)),
            i => string.Join("|", recommender.RecommendBatch([cases[i % cases.Length].History, cases[(i + 1) % cases.Length].History], 3, fused).Select(Signature)),
        ];
        string Serial(int kind, int i) => calls[kind](i);
        var expected = new Dictionary<(int, int), string>();
        for (var kind = 0; kind < calls.Length; kind++)
            for (var i = 0; i < cases.Length; i++) expected[(kind, i)] = Serial(kind, i);

        // 1. Threads × calls against the serial answers.
        var mismatches = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<Exception>();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var random = new Random(t);
            for (var c = 0; c < CallsPerThread; c++)
            {
                var (kind, i) = (random.Next(calls.Length), random.Next(cases.Length));
                try
                {
                    var answer = calls[kind](i);
                    if (answer != expected[(kind, i)]) mismatches.Add($"call {kind} case {i}");
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        });
        Assert.Empty(errors);
        Assert.Empty(mismatches);

        // 2. Items added while eight threads keep calling: no call fails or sees a half-grown catalogue.
        var adder = new Thread(() =>
        {
            try
            {
                foreach (var chunk in held.Chunk(2)) recommender.AddItems(chunk.Select(i => i with { Id = 0 }).ToArray());
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        });
        adder.Start();
        var seen = new ConcurrentBag<int>();
        var midFlight = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var random = new Random(100 + t);
            while (adder.IsAlive)
            {
                var c = cases[random.Next(cases.Length)];
                try
                {
                    var hits = recommender.Search(c.History, c.Query, 5, fused);
                    Interlocked.Increment(ref midFlight);
                    if (hits.Count != 5 || hits.Select(h => h.ItemId).Distinct().Count() != 5) mismatches.Add($"search gave {hits.Count} hits");
                    foreach (var h in hits)
                    {
                        seen.Add(h.ItemId);
                        if (h.Key != recommender.ItemKeys[h.ItemId]) mismatches.Add($"item {h.ItemId} came back with key {h.Key}");
                    }
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        });
        adder.Join();
        Assert.True(midFlight >= 8, $"only {midFlight} calls ran while items were added");
        Assert.Empty(errors);
        Assert.Empty(mismatches);
        Assert.Equal(100, recommender.ItemCount);

        // 3. After the additions, concurrent answers equal the serial ones again.
        for (var kind = 0; kind < calls.Length; kind++)
            for (var i = 0; i < cases.Length; i++) expected[(kind, i)] = Serial(kind, i);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var random = new Random(1000 + t);
            for (var c = 0; c < CallsPerThread / 4; c++)
            {
                var (kind, i) = (random.Next(calls.Length), random.Next(cases.Length));
                if (calls[kind](i) != expected[(kind, i)]) mismatches.Add($"after adding: call {kind} case {i}");
            }
        });
        Assert.Empty(mismatches);
    }
}
