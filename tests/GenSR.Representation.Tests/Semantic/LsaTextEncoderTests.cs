using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Semantic;

/// <summary>The LSA encoder: tokenisation, vocabulary, topical geometry, fold-in, save/load and validation.</summary>
public sealed class LsaTextEncoderTests
{
    private static readonly LsaTextEncoderOptions Options = new() { Dimension = 16, Device = TorchSharp.torch.CPU };

    [Fact]
    public void Tokenizer_lower_cases_splits_on_non_alphanumerics_and_drops_stop_words_and_short_words()
    {
        var (texts, _) = TopicCorpus.Generate(5, seed: 1);
        using var encoder = LsaTextEncoder.Fit(texts, Options);
        Assert.Equal(["kreg", "500", "pack", "screws", "café", "wood"], encoder.Tokenize("Kreg 500-Pack! The SCREWS, a café/wood x"));
    }

    [Fact]
    public void Vocabulary_keeps_words_reaching_the_minimum_document_frequency_and_no_stop_words()
    {
        string[] corpus = ["red apple pie", "green apple tart", "red cherry pie", "blue plum jam", "the red one"];
        using var encoder = LsaTextEncoder.Fit(corpus, Options with { MinDocumentFrequency = 2 });
        Assert.Equal(["red", "apple", "pie"], encoder.Vocabulary);
        // idf = ln((1 + n) / (1 + df)) + 1 with n = 5.
        Assert.Equal(Math.Log(6.0 / 4.0) + 1, encoder.InverseDocumentFrequencies[0], 5);
        Assert.Equal(Math.Log(6.0 / 3.0) + 1, encoder.InverseDocumentFrequencies[1], 5);
        using var ratio = LsaTextEncoder.Fit(corpus, Options with { MinDocumentFrequency = 2, MaxDocumentFrequencyRatio = 0.5 });
        Assert.Equal(["apple", "pie"], ratio.Vocabulary);
    }

    [Fact]
    public void Texts_about_the_same_topic_are_closer_than_unrelated_texts()
    {
        var (texts, topics) = TopicCorpus.Generate(40, seed: 7);
        using var encoder = LsaTextEncoder.Fit(texts, Options);
        using var scope = NewDisposeScope();
        var vectors = encoder.Encode(texts);
        var similarity = vectors.mm(vectors.t());
        var topic = tensor(topics.Select(t => (long)t).ToArray());
        var same = topic.unsqueeze(0).eq(topic.unsqueeze(1)).logical_and(eye(texts.Length, dtype: ScalarType.Bool).logical_not());
        var different = topic.unsqueeze(0).ne(topic.unsqueeze(1));
        var sameMean = similarity.masked_select(same).mean().ToSingle();
        var differentMean = similarity.masked_select(different).mean().ToSingle();
        Assert.True(sameMean - differentMean > 0.25f, $"same-topic cosine {sameMean}, cross-topic {differentMean}");

        // Nearest neighbour (excluding itself) shares the topic for nearly every text.
        var neighbours = (similarity - 3 * eye(texts.Length)).argmax(1);
        var agreement = topic.index_select(0, neighbours).eq(topic).to(ScalarType.Float32).mean().ToSingle();
        Assert.True(agreement > 0.95f, $"nearest-neighbour topic agreement {agreement}");
    }

    [Fact]
    public void Unseen_texts_fold_in_next_to_their_topic()
    {
        var (texts, topics) = TopicCorpus.Generate(40, seed: 11);
        using var encoder = LsaTextEncoder.Fit(texts, Options);
        using var scope = NewDisposeScope();
        var vectors = encoder.Encode(texts);
        var centroids = stack(Enumerable.Range(0, TopicCorpus.TopicWords.Length).Select(t =>
            vectors.index_select(0, tensor(topics.Select((x, i) => (x, i)).Where(p => p.x == t).Select(p => (long)p.i).ToArray())).mean([0])).ToArray());
        string[] queries = ["acoustic guitar with spare strings", "espresso grinder", "puppy collar and leash", "cordless drill and screws"];
        int[] expected = [0, 2, 5, 1];
        var closest = encoder.Encode(queries).mm(centroids.t()).argmax(1).data<long>().ToArray();
        Assert.Equal(expected.Select(e => (long)e), closest);
    }

    [Fact]
    public void Fitting_documents_encode_to_the_rows_of_U_and_outputs_have_unit_length()
    {
        var (texts, _) = TopicCorpus.Generate(20, seed: 3);
        using var encoder = LsaTextEncoder.Fit(texts, Options with { Dimension = 8 });
        using var scope = NewDisposeScope();
        var vectors = encoder.Encode(texts);
        Assert.Equal(new long[] { texts.Length, 8 }, vectors.shape);
        Assert.True((vectors.norm(1) - 1).abs().max().ToSingle() < 1e-5f);
        // Unnormalised fold-in X·V·S⁻¹ of the fitting corpus is U, whose columns are orthonormal.
        var x = DenseTfIdf(encoder, texts);
        var u = x.mm(encoder.Projection);
        var gram = u.t().mm(u);
        Assert.True((gram - eye(8)).abs().max().ToSingle() < 1e-3f, $"UᵀU deviates from I by {(gram - eye(8)).abs().max().ToSingle()}");
    }

    [Theory]
    [InlineData(4, 10, 0.02)] // the defaults: a flat text spectrum leaves the trailing components a little short
    [InlineData(12, 10, 1e-3)] // more subspace iterations converge
    [InlineData(0, 200, 1e-4)] // sampling the whole column space is exact
    public void Randomized_svd_approaches_the_exact_singular_values(int powerIterations, int oversampling, double tolerance)
    {
        var (texts, _) = TopicCorpus.Generate(30, seed: 5);
        using var encoder = LsaTextEncoder.Fit(texts, Options with { Dimension = 10, PowerIterations = powerIterations, Oversampling = oversampling });
        using var scope = NewDisposeScope();
        var x = DenseTfIdf(encoder, texts).to(ScalarType.Float64);
        var exact = linalg.svdvals(x).narrow(0, 0, 10);
        var approximate = tensor(encoder.SingularValues.ToArray()).to(ScalarType.Float64);
        var relative = ((approximate - exact).abs() / exact).max().ToDouble();
        Assert.True(relative < tolerance, $"largest relative singular-value error {relative}");
        Assert.True((approximate[0] - exact[0]).abs().ToDouble() / exact[0].ToDouble() < 1e-3, "the leading singular value must be accurate");
    }

    [Fact]
    public void Save_and_load_round_trip_exactly()
    {
        var (texts, _) = TopicCorpus.Generate(20, seed: 9);
        var path = Path.Combine(Path.GetTempPath(), $"gensr-lsa-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var encoder = LsaTextEncoder.Fit(texts, Options with { StopWords = ["for", "the"], MinTokenLength = 3 });
            encoder.Save(path);
            using var loaded = LsaTextEncoder.Load(path, TorchSharp.torch.CPU);
            Assert.Equal(encoder.Vocabulary, loaded.Vocabulary);
            Assert.Equal(encoder.InverseDocumentFrequencies, loaded.InverseDocumentFrequencies);
            Assert.Equal(encoder.SingularValues, loaded.SingularValues);
            Assert.Equal(encoder.Options with { StopWords = [] }, loaded.Options with { StopWords = [] });
            Assert.Equal(["for", "the"], loaded.Options.StopWords.Order());
            using var scope = NewDisposeScope();
            Assert.True(encoder.Projection.eq(loaded.Projection).all().ToBoolean());
            string[] probe = [.. texts.Take(5), "guitar strings for the drill", "nothing known here"];
            Assert.True(encoder.Encode(probe).eq(loaded.Encode(probe)).all().ToBoolean());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loading_a_file_that_is_not_an_lsa_encoder_fails_clearly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gensr-lsa-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var t = zeros(3))
                GenSR.Core.SafeTensorsFile.Save(path, [new("idf", t)], new Dictionary<string, string> { ["format"] = "something-else" });
            var e = Assert.Throws<InvalidDataException>(() => LsaTextEncoder.Load(path, TorchSharp.torch.CPU));
            Assert.Contains(path, e.Message);
            Assert.Contains("gensr.lsa-text-encoder", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fitting_is_deterministic_for_a_seed()
    {
        var (texts, _) = TopicCorpus.Generate(15, seed: 2);
        using var a = LsaTextEncoder.Fit(texts, Options);
        using var b = LsaTextEncoder.Fit(texts, Options);
        Assert.True(a.Projection.eq(b.Projection).all().ToBoolean());
    }

    [Fact]
    public void Texts_without_vocabulary_words_encode_to_zero_and_a_small_corpus_pads_with_zero_components()
    {
        string[] corpus = ["red apple", "red apple pie", "apple pie"];
        using var encoder = LsaTextEncoder.Fit(corpus, Options with { Dimension = 8, MinDocumentFrequency = 1 });
        using var scope = NewDisposeScope();
        var vectors = encoder.Encode([.. corpus, "", "zebra crossing"]);
        Assert.True(vectors.isfinite().all().ToBoolean());
        Assert.Equal(0f, vectors[3].abs().sum().ToSingle());
        Assert.Equal(0f, vectors[4].abs().sum().ToSingle());
        Assert.True(encoder.SingularValues.Count <= 3);
        Assert.Equal(0f, vectors.narrow(1, 3, 5).abs().sum().ToSingle());
    }

    [Fact]
    public void Fitting_on_items_uses_the_selected_fields()
    {
        Item Make(int id, string title, string brand, params string[] categories) => new(id, $"k{id}", title, "a description nobody reads", brand, categories);
        Item[] items =
        [
            Make(0, "Acoustic guitar", "Fender", "Music", "Guitars"), Make(1, "Electric guitar", "Fender", "Music", "Guitars"),
            Make(2, "Wood screws", "Kreg", "Tools", "Fasteners"), Make(3, "Deck screws", "Kreg", "Tools", "Fasteners"),
        ];
        using var withBrand = LsaTextEncoder.Fit(items, Options with { Dimension = 2 });
        Assert.Contains("fender", withBrand.Vocabulary);
        Assert.DoesNotContain("description", withBrand.Vocabulary);
        using var titles = LsaTextEncoder.Fit(items, Options with { Dimension = 2, Fields = ItemTextFields.Title | ItemTextFields.Description });
        Assert.DoesNotContain("fender", titles.Vocabulary);
        Assert.Contains("description", titles.Vocabulary);
        using var vectors = withBrand.EncodeItems(items);
        Assert.Equal(new long[] { 4, 2 }, vectors.shape);
    }

    [Fact]
    public void Bad_options_and_inputs_are_rejected_with_the_option_named()
    {
        Assert.Contains("Dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new LsaTextEncoderOptions { Dimension = 0 }).Message);
        Assert.Contains("MinDocumentFrequency", Assert.Throws<ArgumentOutOfRangeException>(() => new LsaTextEncoderOptions { MinDocumentFrequency = 0 }).Message);
        Assert.Contains("MaxDocumentFrequencyRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new LsaTextEncoderOptions { MaxDocumentFrequencyRatio = 1.5 }).Message);
        Assert.Contains("PowerIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LsaTextEncoderOptions { PowerIterations = -1 }).Message);
        Assert.Contains("Fields", Assert.Throws<ArgumentOutOfRangeException>(() => new LsaTextEncoderOptions { Fields = ItemTextFields.None }).Message);
        Assert.Throws<ArgumentException>(() => LsaTextEncoder.Fit(Array.Empty<string>(), Options));
        var none = Assert.Throws<ArgumentException>(() => LsaTextEncoder.Fit(["alpha", "beta"], Options));
        Assert.Contains("MinDocumentFrequency", none.Message);
    }

    [Fact]
    public void Fitting_reports_progress_and_honours_cancellation()
    {
        var (texts, _) = TopicCorpus.Generate(10, seed: 4);
        var stages = new List<LsaFitProgress>();
        using (LsaTextEncoder.Fit(texts, Options with { PowerIterations = 2 }, new SynchronousProgress<LsaFitProgress>(stages.Add))) { }
        Assert.Equal(["vocabulary", "weighting", "svd"], stages.Select(s => s.Stage).Distinct());
        Assert.Equal(new LsaFitProgress("svd", 6, 6), stages[^1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => LsaTextEncoder.Fit(texts, Options, cancellationToken: cancelled.Token));
    }

    /// <summary>The TF-IDF matrix of <paramref name="texts"/>, recovered from the encoder as a dense tensor (test-sized only).</summary>
    private static Tensor DenseTfIdf(LsaTextEncoder encoder, IReadOnlyList<string> texts)
    {
        var vocabulary = encoder.Vocabulary.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);
        var x = zeros(texts.Count, vocabulary.Count);
        for (var d = 0; d < texts.Count; d++)
        {
            var counts = encoder.Tokenize(texts[d]).Where(vocabulary.ContainsKey).GroupBy(w => vocabulary[w]);
            var row = new float[vocabulary.Count];
            foreach (var g in counts) row[g.Key] = (float)((1 + Math.Log(g.Count())) * encoder.InverseDocumentFrequencies[g.Key]);
            var norm = Math.Sqrt(row.Sum(v => (double)v * v));
            if (norm > 0) x[d] = tensor(row.Select(v => (float)(v / norm)).ToArray());
        }
        return x;
    }
}
