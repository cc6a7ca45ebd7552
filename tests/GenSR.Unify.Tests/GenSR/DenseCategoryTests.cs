using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// An untrained demo model whose dense head matches query words with 4 category-word tokens per item, adds their cosine
/// match (<see cref="GenSRModelConfig.DenseCategoryCosine"/>) and reads the history items' own rows
/// (<see cref="GenSRModelConfig.DenseHistory"/>).
/// </summary>
public sealed class DenseCategoryFixture : IDisposable
{
    public const int CategoryTokens = 4;

    public DenseCategoryFixture()
    {
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 6 }));
        Prepared = TinyModel.Prepare(Split, denseDimension: 16,
            o => o with { DenseCategoryTokens = CategoryTokens, DenseHistory = true, DenseCategoryCosine = true });
    }

    public DatasetSplit Split { get; }
    public GenSRPrepared Prepared { get; }

    public void Dispose()
    {
        Prepared.NewItems?.Dispose();
        Prepared.Model.Dispose();
    }
}

/// <summary>
/// <see cref="GenSRModelConfig.DenseCategoryTokens"/> (the dense head's word match between queries and item categories) and
/// <see cref="GenSRModelConfig.DenseHistory"/> (its item-to-item term).
/// </summary>
public sealed class DenseCategoryTests(DenseCategoryFixture fixture) : IClassFixture<DenseCategoryFixture>
{
    private static readonly CategoryQuerySynthesizer Synthesizer = new();

    private Tensor ItemTokenTable() => fixture.Prepared.Model.named_buffers().Single(b => b.name == GenSRModel.ItemTitleIdsName).buffer;

    [Fact]
    public void The_item_token_table_holds_the_title_tokens_then_the_category_words()
    {
        var model = fixture.Prepared.Model;
        var vocabulary = fixture.Prepared.Builder.Vocabulary;
        var catalog = fixture.Split.Dataset.Catalog;
        var table = ItemTokenTable();
        Assert.Equal([catalog.Count, 4L + DenseCategoryFixture.CategoryTokens], table.shape);
        Assert.Equal(8, model.Config.ItemTokenColumns);

        using var titles = GenSRPipeline.TitleTokens(catalog, vocabulary, 4);
        Assert.Equal(titles.data<long>().ToArray(), table.narrow(1, 0, 4).contiguous().data<long>().ToArray());
        var withCategories = 0;
        for (var i = 0; i < catalog.Count; i++)
        {
            var words = Synthesizer.CategoryWords(catalog[i]);
            var expected = vocabulary.EncodeText(words).Select(t => (long)t).Take(DenseCategoryFixture.CategoryTokens).ToList();
            // The vocabulary holds the category words as the item tokens spell them (the demo's queries are shoppers' own words).
            Assert.DoesNotContain((long)vocabulary.UnknownId, expected);
            if (expected.Count > 0) withCategories++;
            while (expected.Count < DenseCategoryFixture.CategoryTokens) expected.Add(vocabulary.PadId);
            Assert.Equal(expected, table[i].narrow(0, 4, DenseCategoryFixture.CategoryTokens).data<long>().ToArray());
        }
        Assert.True(withCategories > catalog.Count / 2, $"only {withCategories} demo items have category words");
    }

    [Fact]
    public void Before_any_training_the_word_match_ranks_items_of_the_querys_category_first()
    {
        // The same projection maps both sides, so an item whose category words are the query's has a large inner product
        // with it from the first step: the prior the option exists for.
        var model = fixture.Prepared.Model;
        var vocabulary = fixture.Prepared.Builder.Vocabulary;
        var catalog = fixture.Split.Dataset.Catalog;
        var weight = model.named_parameters().Single(p => p.name == "dense_lexical_proj.weight").parameter;
        using var noGrad = no_grad();
        using var pad = tensor((long)vocabulary.PadId);
        var categoryIds = ItemTokenTable().narrow(1, 4, DenseCategoryFixture.CategoryTokens);
        using var items = nn.functional.linear(model.MeanEmbedding(categoryIds, categoryIds.ne(pad)), weight);

        var ranks = new List<double>();
        foreach (var item in catalog.Where(i => Synthesizer.CategoryWords(i).Length > 0).Take(30))
        {
            var words = Synthesizer.CategoryWords(item);
            using var queryIds = tensor(vocabulary.EncodeText(words).Select(t => (long)t).ToArray()).unsqueeze(0);
            using var user = nn.functional.linear(model.MeanEmbedding(queryIds, queryIds.ne(pad)), weight);
            var scores = user.matmul(items.t()).squeeze(0).data<float>().ToArray();
            // Items with the same category words tie with the target; count the target's rank among the other categories.
            var same = catalog.Select(i => Synthesizer.CategoryWords(i) == words).ToArray();
            var target = scores[item.Id];
            ranks.Add(1 + scores.Where((s, j) => !same[j] && s > target).Count());
        }
        // Chance is a mean rank of about half the catalogue; sibling categories share words, so they compete.
        var others = catalog.Count;
        Assert.True(ranks.Average() < 0.2 * others, $"mean rank {ranks.Average():F1} among {others}: {string.Join(", ", ranks)}");
    }

    [Fact]
    public void Query_words_change_the_dense_user_vector_and_the_loss_trains_the_projection()
    {
        var prepared = fixture.Prepared;
        var c = fixture.Split.Validation[0];
        var other = fixture.Split.Dataset.Catalog.Select(i => Synthesizer.CategoryWords(i)).First(w => w.Length > 0 && w != c.Query);
        using (var b1 = prepared.Builder.Build([new GenSRRequest(c.History, TaskKind.Search, c.Query)], CPU, withLabels: false))
        using (var b2 = prepared.Builder.Build([new GenSRRequest(c.History, TaskKind.Search, other)], CPU, withLabels: false))
        using (var e1 = prepared.Model.Encode(b1))
        using (var e2 = prepared.Model.Encode(b2))
        {
            Assert.NotNull(e1.QueryEmbedding);
            Assert.NotEqual(prepared.Model.DenseUser(e1).data<float>().ToArray(), prepared.Model.DenseUser(e2).data<float>().ToArray());
        }

        var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { IndexingFraction = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(32).ToArray();
        Assert.Contains(rows, r => r.Task == TaskKind.Search);
        using var batch = prepared.Builder.Build(rows, CPU, withLabels: true);
        var projection = prepared.Model.named_parameters().Single(p => p.name == "dense_lexical_proj.weight").parameter;
        prepared.Model.zero_grad();
        var (total, _, _) = trainer.ComputeLoss(batch);
        using (total) total.backward();
        Assert.True(projection.grad!.abs().sum().item<float>() > 0);
        prepared.Model.zero_grad();
    }

    [Fact]
    public void The_cosine_match_adds_its_full_scale_exactly_to_items_whose_category_words_are_the_querys()
    {
        var prepared = fixture.Prepared;
        var model = prepared.Model;
        var vocabulary = prepared.Builder.Vocabulary;
        var catalog = fixture.Split.Dataset.Catalog;
        var scale = model.named_parameters().Single(p => p.name == "dense_lexical_scale").parameter.item<float>();
        Assert.Equal(10f, scale);
        // Items whose category words fit in the 4 columns, so that both sides embed the same tokens.
        var fitting = catalog.Where(i => Synthesizer.CategoryWords(i) is { Length: > 0 } w && vocabulary.EncodeText(w).Length <= DenseCategoryFixture.CategoryTokens).ToArray();
        Assert.True(fitting.Length > 10, $"only {fitting.Length} demo items have short category words");
        var history = fixture.Split.Validation[0].History;
        using var noGrad = no_grad();
        foreach (var item in fitting.Take(5))
        {
            var words = Synthesizer.CategoryWords(item);
            var match = Term(new GenSRRequest(history, TaskKind.Search, words));
            for (var j = 0; j < catalog.Count; j++)
            {
                if (Synthesizer.CategoryWords(catalog[j]) == words) Assert.Equal(scale, match[j], 3);
                else Assert.True(match[j] < scale - 1e-3f, $"item {j} ({Synthesizer.CategoryWords(catalog[j])}) scores {match[j]} for '{words}'");
            }
        }

        // No query words, no match.
        Assert.All(Term(new GenSRRequest(history, TaskKind.Recommendation)), v => Assert.Equal(0f, v, 5));

        // The dense scores less the inner product and the bias, which is the cosine term.
        float[] Term(GenSRRequest request)
        {
            using var batch = prepared.Builder.Build([request], CPU, withLabels: false);
            using var encoding = model.Encode(batch);
            using var scores = model.DenseScores(encoding);
            using var table = model.DenseItemTable();
            using var user = model.DenseUser(encoding);
            var bias = model.named_parameters().Single(p => p.name == "dense_item_bias").parameter;
            using var plain = user.matmul(table.t()).add(bias.unsqueeze(0));
            using var term = scores.sub(plain);
            return term.squeeze(0).data<float>().ToArray();
        }
    }

    [Fact]
    public void The_cosine_scale_trains_and_needs_category_words()
    {
        var prepared = fixture.Prepared;
        var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { IndexingFraction = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(32).ToArray();
        using var batch = prepared.Builder.Build(rows, CPU, withLabels: true);
        prepared.Model.zero_grad();
        var (total, _, _) = trainer.ComputeLoss(batch);
        using (total) total.backward();
        var scale = prepared.Model.named_parameters().Single(p => p.name == "dense_lexical_scale").parameter;
        Assert.True(scale.grad!.abs().item<float>() > 0);
        prepared.Model.zero_grad();

        var error = Assert.Throws<ArgumentException>(() => (prepared.Model.Config with { DenseCategoryTokens = 0 }).Validate());
        Assert.Contains("DenseCategoryCosine", error.Message);
    }

    [Fact]
    public void The_history_rows_reach_the_dense_scores_train_and_an_empty_history_stays_finite()
    {
        var prepared = fixture.Prepared;
        var c = fixture.Split.Validation.First(v => v.History.Count >= 2);
        using var inference = new GenSRInference(prepared.Model, prepared.Builder);
        using (var b1 = prepared.Builder.Build([new GenSRRequest(c.History, TaskKind.Recommendation)], CPU, withLabels: false))
        using (var e1 = prepared.Model.Encode(b1))
        {
            Assert.Equal(b1.HistoryItems.data<long>().ToArray(), e1.HistoryItems!.data<long>().ToArray());
        }

        var empty = inference.ScoreCatalog([new GenSRRequest([], TaskKind.Recommendation)], generative: false).Dense!;
        Assert.Equal(prepared.Model.Config.ItemCount, empty.Length);
        Assert.All(empty, v => Assert.True(float.IsFinite(v)));

        var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { IndexingFraction = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(32).ToArray();
        using var batch = prepared.Builder.Build(rows, CPU, withLabels: true);
        prepared.Model.zero_grad();
        var (total, _, _) = trainer.ComputeLoss(batch);
        using (total) total.backward();
        foreach (var name in new[] { "dense_history_proj.weight", "dense_history_recency" })
            Assert.True(prepared.Model.named_parameters().Single(p => p.name == name).parameter.grad!.abs().sum().item<float>() > 0, name);
        prepared.Model.zero_grad();
    }

    [Fact]
    public void A_checkpoint_keeps_the_category_tokens_and_the_dense_scores()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-dense-categories-{Guid.NewGuid():N}");
        try
        {
            var requests = fixture.Split.Validation.Take(2).SelectMany(c => new[] { new GenSRRequest(c.History, TaskKind.Recommendation), new GenSRRequest(c.History, TaskKind.Search, c.Query) }).ToArray();
            using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
            var original = inference.ScoreCatalog(requests, generative: false).Dense!;
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);

            using var loaded = GenSRCheckpoint.Load(folder);
            Assert.Equal(DenseCategoryFixture.CategoryTokens, loaded.Model.Config.DenseCategoryTokens);
            Assert.True(loaded.Model.Config.DenseCategoryCosine);
            using var loadedInference = new GenSRInference(loaded.Model, loaded.Builder);
            Assert.Equal(original, loadedInference.ScoreCatalog(requests, generative: false).Dense!);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Added_items_bring_their_category_words_and_a_wrong_token_width_is_refused()
    {
        var prepared = fixture.Prepared;
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-dense-categories-new-{Guid.NewGuid():N}");
        GenSRRecommender recommender;
        try
        {
            prepared.NewItems!.Save(folder);
            recommender = new GenSRRecommender(prepared.Model, prepared.Builder, prepared.ItemKeys, newItems: NewItemIndex.Load(folder, prepared.Model.Config.ItemCount));
        }
        finally
        {
            Directory.Delete(folder, true);
        }

        using (recommender)
        {
            var source = fixture.Split.Dataset.Catalog.First(i => Synthesizer.CategoryWords(i).Length > 0);
            var added = source with { Id = 0, Key = "new-item", Title = "brand new thing" };
            var id = recommender.AddItems([added]).Single();

            // The grown model, saved and read back, ends its token table with the new item's title and category words.
            var saved = Path.Combine(Path.GetTempPath(), $"gensr-dense-categories-grown-{Guid.NewGuid():N}");
            try
            {
                recommender.Save(saved);
                using var loaded = GenSRCheckpoint.Load(saved);
                Assert.Equal(fixture.Split.Dataset.Catalog.Count + 1, loaded.Model.Config.ItemCount);
                var table = loaded.Model.named_buffers().Single(b => b.name == GenSRModel.ItemTitleIdsName).buffer;
                using var expected = GenSRPipeline.ItemTokens([added], prepared.Builder.Vocabulary, prepared.Model.Config);
                Assert.Equal(expected.data<long>().ToArray(), table[id].data<long>().ToArray());
                Assert.Contains(table[id].narrow(0, 4, DenseCategoryFixture.CategoryTokens).data<long>().ToArray(), t => t != prepared.Builder.Vocabulary.PadId);
            }
            finally
            {
                if (Directory.Exists(saved)) Directory.Delete(saved, true);
            }
        }

        using var wrong = zeros([1, 4], dtype: ScalarType.Int64);
        using var cf = zeros(1, prepared.Model.Config.CollaborativeDimension);
        var error = Assert.Throws<ArgumentException>(() => prepared.Model.WithItems(cf, wrong, null, [[0]]));
        Assert.Contains("[n, 8]", error.Message);
    }
}
