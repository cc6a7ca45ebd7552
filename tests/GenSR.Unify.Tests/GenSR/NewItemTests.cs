using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// A model trained on the demo catalogue without one item in ten (the held-out items never appear in training: not in the
/// catalogue, the events or the vocabulary's item texts), and a recommender that adds them afterwards.
/// </summary>
public sealed class HeldOutItemsFixture : IDisposable
{
    public HeldOutItemsFixture()
    {
        TorchRuntime.SetThreads(1);
        var full = DemoDataset.Generate(new DemoDatasetOptions { Users = 300, Items = 150, Seed = 21 });
        var held = full.Catalog.Where(i => i.Id % 10 == 3).Select(i => i.Id).ToHashSet();
        var kept = full.Catalog.Where(i => !held.Contains(i.Id)).ToArray();
        var newId = kept.Select((item, index) => (item.Id, index)).ToDictionary(x => x.Id, x => x.index);
        var catalog = new ItemCatalog(kept.Select(i => i with { Id = newId[i.Id] }));
        var histories = full.Histories.Select(h => (IReadOnlyList<SrEvent>)h.Where(e => !held.Contains(e.ItemId)).Select(e => e with { ItemId = newId[e.ItemId] }).ToArray()).ToArray();
        Split = LeaveOneOutSplit.Create(new SrDataset("demo without one item in ten", catalog, full.Users, histories));
        HeldOut = full.Catalog.Where(i => held.Contains(i.Id)).ToArray();
        Prepared = GenSRPipeline.Prepare(Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 64, Layers = 1, PromptHistoryItems = 8, DenseDimension = 32,
            CollaborativeTraining = new() { LearningRate = 1e-2, MaxEpochs = 40, EvaluateEvery = 10, Patience = 2 },
        });
        new GenSRTrainer(Prepared.Model, Prepared.Builder, Prepared.ItemKeys, new GenSRTrainingOptions
        {
            Epochs = 4, BatchSize = 64, LearningRate = 3e-3, WarmupSteps = 20, ValidationCases = 100,
        }).Train(Split);
        Prepared.Model.eval();
    }

    public DatasetSplit Split { get; }

    public IReadOnlyList<Item> HeldOut { get; }

    public GenSRPrepared Prepared { get; }

    /// <summary>A recommender over the trained model with its own copy of the new-item index (each test adds items to its own).</summary>
    public GenSRRecommender Recommender()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-new-items-fixture-{Guid.NewGuid():N}");
        try
        {
            Prepared.NewItems!.Save(folder);
            return new GenSRRecommender(Prepared.Model, Prepared.Builder, Prepared.ItemKeys, newItems: NewItemIndex.Load(folder, Prepared.Model.Config.ItemCount));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    public void Dispose()
    {
        Prepared.NewItems?.Dispose();
        Prepared.Model.Dispose();
    }
}

/// <summary><see cref="GenSRRecommender.AddItems"/>: items the model never saw become searchable without retraining.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class NewItemTests(HeldOutItemsFixture fixture) : IClassFixture<HeldOutItemsFixture>
{
    private static readonly GenSRRankingOptions Exact = new() { Mode = GenSRRankingMode.Exact };
    private static readonly GenSRRankingOptions Dense = new() { Mode = GenSRRankingMode.Dense };

    /// <summary>Rank (1 = first) of each item among the whole catalogue for a cold search by its category-path query.</summary>
    private static double[] SearchRanks(GenSRRecommender recommender, IReadOnlyList<(int Id, string Query)> targets, GenSRRankingOptions ranking) =>
        targets.Select(t =>
        {
            var ranked = recommender.Search([], t.Query, recommender.ItemCount, ranking);
            return (double)(ranked.Select(s => s.ItemId).ToList().IndexOf(t.Id) + 1);
        }).ToArray();

    [Fact]
    public void Held_out_items_added_after_training_are_found_by_their_query_far_above_chance()
    {
        using var recommender = fixture.Recommender();
        var before = recommender.ItemCount;
        var ids = recommender.AddItems(fixture.HeldOut);
        Assert.Equal(Enumerable.Range(before, fixture.HeldOut.Count), ids);
        Assert.Equal(before + fixture.HeldOut.Count, recommender.ItemCount);
        Assert.All(fixture.HeldOut.Select((item, i) => (item, i)), x => Assert.Equal(ids[x.i], recommender.ItemId(x.item.Key)));

        // The dense head ranks a new item by the row it got from its text neighbours. Chance: a mean rank of (N + 1) / 2 = 75.5
        // and a hit rate at 20 of 20 / N = 0.13.
        var queries = new CategoryQuerySynthesizer();
        var targets = fixture.HeldOut.Select((item, i) => (ids[i], queries.BuildQuery(item))).ToArray();
        var ranks = SearchRanks(recommender, targets, Dense);
        var catalogue = recommender.ItemCount;
        var hitsAt20 = ranks.Count(r => r <= 20) / (double)ranks.Length;
        Assert.True(ranks.Average() < 0.3 * catalogue, $"mean rank {ranks.Average():F1} of {catalogue}: {string.Join(", ", ranks)}");
        Assert.True(hitsAt20 >= 3 * 20.0 / catalogue, $"hit rate at 20 {hitsAt20:F2}: {string.Join(", ", ranks)}");

        // Exact generative scores rank every new item too (its identifier is a trie path), though lower: its last code was
        // never trained after its prefix.
        Assert.All(SearchRanks(recommender, targets, Exact), r => Assert.InRange(r, 1, catalogue));

        // The trie has them: an exhaustive beam search over the grown catalogue generates every new item.
        var generated = recommender.Search([], "anything", catalogue).Select(s => s.ItemId).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, generated));
    }

    [Fact]
    public void New_items_get_unique_identifiers_near_their_text_neighbours_and_dense_rows()
    {
        using var recommender = fixture.Recommender();
        var ids = recommender.AddItems(fixture.HeldOut.Take(5).ToArray());
        // Recommendation ranks the whole grown catalogue with the dense head, new rows included.
        var c = fixture.Split.Test[0];
        var scores = recommender.ScoreCandidates(c.History, TaskKind.Recommendation, null, ids, CandidateScoring.Ranking, new GenSRRankingOptions { Mode = GenSRRankingMode.Fused });
        Assert.All(scores, s => Assert.True(float.IsFinite(s.Score)));
        var recommended = recommender.Recommend(c.History, recommender.ItemCount, new GenSRRankingOptions { Mode = GenSRRankingMode.Dense });
        Assert.Equal(recommender.ItemCount, recommended.Count);

        // Adding the same key twice, or a key the catalogue has, is refused and changes nothing.
        var count = recommender.ItemCount;
        Assert.Throws<ArgumentException>(() => recommender.AddItems([fixture.HeldOut[0]]));
        Assert.Throws<ArgumentException>(() => recommender.AddItems([fixture.HeldOut[6], fixture.HeldOut[6]]));
        Assert.Equal(count, recommender.ItemCount);
    }

    [Fact]
    public void A_saved_recommender_keeps_the_added_items_and_can_add_more()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-new-items-{Guid.NewGuid():N}");
        try
        {
            var query = new CategoryQuerySynthesizer().BuildQuery(fixture.HeldOut[1]);
            IReadOnlyList<ScoredItem> expected;
            using (var recommender = fixture.Recommender())
            {
                recommender.AddItems(fixture.HeldOut.Take(8).ToArray());
                expected = recommender.Search([], query, 20, Exact);
                recommender.Save(folder);
            }

            using var loaded = GenSRRecommender.Load(folder, TorchSharp.torch.CPU);
            Assert.Equal(fixture.Prepared.ItemKeys.Count + 8, loaded.ItemCount);
            Assert.True(loaded.CanAddItems);
            var again = loaded.Search([], query, 20, Exact);
            Assert.Equal(expected.Select(s => s.ItemId), again.Select(s => s.ItemId));
            Assert.All(expected.Zip(again), p => Assert.Equal(p.First.Score, p.Second.Score, 4));
            var more = loaded.AddItems(fixture.HeldOut.Skip(8).ToArray());
            Assert.Equal(fixture.Prepared.ItemKeys.Count + fixture.HeldOut.Count, loaded.ItemCount);
            Assert.Equal(fixture.HeldOut[^1].Key, loaded.ItemKeys[more[^1]]);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_recommender_without_an_index_says_how_to_get_one()
    {
        using var recommender = new GenSRRecommender(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
        Assert.False(recommender.CanAddItems);
        var error = Assert.Throws<InvalidOperationException>(() => recommender.AddItems([fixture.HeldOut[0]]));
        Assert.Contains("NewItems", error.Message);
    }
}
