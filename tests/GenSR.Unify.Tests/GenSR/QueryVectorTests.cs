using GenSR.Core;
using GenSR.Representation;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// Hashed bag of words, 12-d and L2-normalised: texts sharing words get close vectors. Counts the texts it encodes. The
/// hash is FNV-1a over the word's characters, so the vectors are the same in every process (string.GetHashCode is not).
/// </summary>
public sealed class HashedWordEncoder : ISemanticEncoder
{
    public int Encoded;
    public int Dimension => 12;
    public Device Device => CPU;

    public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref Encoded, texts.Count);
        var values = new float[texts.Count * Dimension];
        for (var t = 0; t < texts.Count; t++)
        {
            foreach (var word in texts[t].ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                values[t * Dimension + (int)(Fnv1a(word) % (uint)Dimension)] += 1;
            var norm = MathF.Sqrt(values.AsSpan(t * Dimension, Dimension).ToArray().Sum(v => v * v));
            for (var i = 0; i < Dimension && norm > 0; i++) values[t * Dimension + i] /= norm;
        }
        return tensor(values, [texts.Count, Dimension]);
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    public void Dispose()
    {
    }
}

public sealed class QueryVectorFixture : IDisposable
{
    public QueryVectorFixture()
    {
        TorchRuntime.SetThreads(1);
        Split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 6 }));
        Prepared = GenSRPipeline.Prepare(Split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4, DenseDimension = 16,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
            QueryEncoder = Encoder,
        });
    }

    public HashedWordEncoder Encoder { get; } = new();
    public DatasetSplit Split { get; }
    public GenSRPrepared Prepared { get; }

    public IReadOnlyList<GenSRRequest> Requests(int count) =>
        Split.Validation.Take(count).SelectMany(c => new[] { new GenSRRequest(c.History, TaskKind.Recommendation), new GenSRRequest(c.History, TaskKind.Search, c.Query) }).ToArray();

    public void Dispose() => Prepared.Model.Dispose();
}

public sealed class QueryVectorTests(QueryVectorFixture fixture) : IClassFixture<QueryVectorFixture>
{
    [Fact]
    public void The_pipeline_gives_the_model_query_vectors_and_the_items_vectors_of_the_same_encoder()
    {
        var model = fixture.Prepared.Model;
        Assert.Equal(12, model.Config.QueryVectorDimension);
        Assert.Equal([fixture.Split.Dataset.Catalog.Count, 12L], model.ItemTextVectors!.shape);
        using var expected = fixture.Encoder.EncodeItems(fixture.Split.Dataset.Catalog);
        Assert.Equal(expected.data<float>().ToArray(), model.ItemTextVectors.data<float>().ToArray());
        Assert.Same(fixture.Encoder, fixture.Prepared.Builder.QueryEncoder);
    }

    [Fact]
    public void Search_rows_carry_the_query_vector_and_every_generative_prompt_has_the_slot()
    {
        var requests = fixture.Requests(3);
        using var batch = fixture.Prepared.Builder.Build(requests, CPU, withLabels: false);
        var vectors = batch.QueryVectors!.data<float>().ToArray();
        for (var r = 0; r < requests.Count; r++)
        {
            var row = vectors.AsSpan(r * 12, 12).ToArray();
            if (requests[r].Task == TaskKind.Recommendation)
                Assert.All(row, v => Assert.Equal(0f, v));
            else
                using (var direct = fixture.Encoder.Encode([requests[r].Query!]))
                    Assert.Equal(direct.data<float>().ToArray(), row);
        }
        Assert.Contains(SoftTokenKind.QueryVector, batch.Prompt.SoftTokenKinds);
        Assert.Equal(GenSRPromptTemplates.SearchWithQueryVector, GenSRPromptTemplates.For(TaskKind.Search, queryVector: true));
        Assert.Equal(GenSRPromptTemplates.PointwiseSearch, GenSRPromptTemplates.For(TaskKind.Search, pointwise: true, queryVector: true));

        // A repeated query is encoded once.
        var before = fixture.Encoder.Encoded;
        using (fixture.Prepared.Builder.Build(requests, CPU, withLabels: false)) { }
        Assert.Equal(before, fixture.Encoder.Encoded);
    }

    [Fact]
    public void The_query_vector_reaches_the_dense_scores_and_the_projection_learns()
    {
        var prepared = fixture.Prepared;
        var search = fixture.Requests(1).Where(r => r.Task == TaskKind.Search).ToArray();
        using var inference = new GenSRInference(prepared.Model, prepared.Builder);
        var original = inference.ScoreCatalog(search, generative: false).Dense!;
        // The same tokens, a different vector: a builder whose encoder answers with the vector of another text.
        var shifted = new GenSRInputBuilder(prepared.Model.Config, prepared.Builder.Vocabulary, prepared.Builder.Identifiers, prepared.Builder.Titles,
                                            prepared.Builder.PromptHistoryItems, new ShiftedEncoder(fixture.Encoder));
        using var shiftedInference = new GenSRInference(prepared.Model, shifted);
        using (var b1 = prepared.Builder.Build(search, CPU, false)) using (var b2 = shifted.Build(search, CPU, false))
        {
            Assert.NotEqual(b1.QueryVectors!.data<float>().ToArray(), b2.QueryVectors!.data<float>().ToArray());
            using var e1 = prepared.Model.Encode(b1);
            using var e2 = prepared.Model.Encode(b2);
            Assert.NotEqual(e1.QueryVector!.data<float>().ToArray(), e2.QueryVector!.data<float>().ToArray());
            Assert.NotEqual(prepared.Model.DenseUser(e1).data<float>().ToArray(), prepared.Model.DenseUser(e2).data<float>().ToArray());
        }
        Assert.NotEqual(original, shiftedInference.ScoreCatalog(search, generative: false).Dense!);

        var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions { IndexingFraction = 0 });
        var rows = trainer.PlanEpoch(fixture.Split, 1).SelectMany(b => b).Take(32).ToArray();
        using var batch = prepared.Builder.Build(rows, CPU, withLabels: true);
        var projection = prepared.Model.named_parameters().Single(p => p.name == "query_proj.weight").parameter;
        projection.grad?.zero_();
        var (total, _, _) = trainer.ComputeLoss(batch);
        using (total) total.backward();
        Assert.True(projection.grad!.abs().sum().item<float>() > 0);
        prepared.Model.zero_grad();
    }

    [Fact]
    public void A_checkpoint_keeps_the_item_vectors_and_needs_the_query_encoder_to_build_batches()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gensr-query-vectors-{Guid.NewGuid():N}");
        try
        {
            var requests = fixture.Requests(2);
            using var inference = new GenSRInference(fixture.Prepared.Model, fixture.Prepared.Builder);
            var original = inference.ScoreCatalog(requests, generative: false).Dense!;
            GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);

            using (var withoutEncoder = GenSRCheckpoint.Load(folder))
            {
                Assert.Equal(12, withoutEncoder.Model.Config.QueryVectorDimension);
                var error = Assert.Throws<InvalidOperationException>(() => withoutEncoder.Builder.Build(requests, CPU, withLabels: false));
                Assert.Contains("query encoder", error.Message);
            }

            using var loaded = GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder);
            using var loadedInference = new GenSRInference(loaded.Model, loaded.Builder);
            Assert.Equal(original, loadedInference.ScoreCatalog(requests, generative: false).Dense!);
            Assert.Throws<ArgumentException>(() => loaded.Builder.WithQueryEncoder(new WideEncoder()));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Generative_candidate_scoring_is_sliced_and_gives_the_same_scores()
    {
        var c = fixture.Split.Validation[1];
        using var recommender = new GenSRRecommender(fixture.Prepared.Model, fixture.Prepared.Builder, fixture.Prepared.ItemKeys);
        var items = fixture.Prepared.Model.Config.ItemCount;
        var candidates = Enumerable.Range(0, GenSRRecommender.GenerativeCandidatesPerCall * 2 + 37).Select(i => i % items).ToArray();
        var many = recommender.ScoreCandidates(c.History, TaskKind.Search, c.Query, candidates, CandidateScoring.Generative);
        var few = recommender.ScoreCandidates(c.History, TaskKind.Search, c.Query, Enumerable.Range(0, items).ToArray(), CandidateScoring.Generative)
                             .ToDictionary(s => s.ItemId, s => s.Score);
        Assert.Equal(candidates.Length, many.Count);
        Assert.All(many, s => Assert.Equal(few[s.ItemId], s.Score, 4));
    }

    [Fact]
    public void A_very_long_query_is_shortened_instead_of_failing_the_batch()
    {
        var c = fixture.Split.Validation[0];
        var query = string.Join(' ', Enumerable.Repeat(c.Query, 400));
        Assert.True(query.Length > 2000);
        using var batch = fixture.Prepared.Builder.Build([new GenSRRequest(c.History, TaskKind.Search, query)], CPU, withLabels: false);
        Assert.True(batch.Prompt.InputIds.shape[1] <= 256);
        Assert.Equal(fixture.Prepared.Model.Config.QueryTokens, (int)batch.QueryMask.sum().item<long>());
    }

    /// <summary>
    /// The inner encoder's vectors turned by one coordinate (a circular shift): a different vector for any text whose
    /// vector is not constant, which a one-word query's hashed vector never is.
    /// </summary>
    private sealed class ShiftedEncoder(ISemanticEncoder inner) : ISemanticEncoder
    {
        public int Dimension => inner.Dimension;
        public Device Device => inner.Device;
        public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            using var vectors = inner.Encode(texts, progress, cancellationToken);
            return vectors.roll(1, 1);
        }
        public void Dispose()
        {
        }
    }

    private sealed class WideEncoder : ISemanticEncoder
    {
        public int Dimension => 13;
        public Device Device => CPU;
        public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default) =>
            zeros(texts.Count, 13);
        public void Dispose()
        {
        }
    }
}
