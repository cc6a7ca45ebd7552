using GenSR.Core;

namespace GenSR.Representation.SentenceEncoders.Tests;

/// <summary>One encoder per model for the whole class: loading a 90 MB model takes about a second.</summary>
public sealed class SentenceEncoderFixture : IDisposable
{
    public OnnxSentenceEncoder MiniLM { get; } = OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { Threads = 1 });
    public OnnxSentenceEncoder Arctic { get; } = OnnxSentenceEncoder.Load(PretrainedSentenceModel.ArcticXs, new() { Threads = 1 });

    public void Dispose()
    {
        MiniLM.Dispose();
        Arctic.Dispose();
    }
}

public sealed class OnnxSentenceEncoderTests(SentenceEncoderFixture models) : IClassFixture<SentenceEncoderFixture>
{
    private static readonly string[] Texts =
    [
        "waterproof camping tent for 4 people", "4-person dome tent, rainproof", "Dynasties Strategy Board Game", "",
        "Ünïcödé café résumé naïve — 東京",
    ];

    // Reference vectors: the first six and the last of 384 values, as the packages' own SentenceTransformers 24.9.52193
    // encoder (an independent tokenizer and pooling over the same ONNX weights) computes them for the texts above. That
    // tokenizer neither strips accents nor splits CJK characters, which HF's uncased BertTokenizer does; so the last
    // reference is its vector of the text as HF normalises it, "unicode cafe resume naive — 東 京".
    private static readonly float[][] MiniLMReference =
    [
        [0.03759358f, 0.08334454f, -0.012603833f, 0.036913384f, 0.062713444f, -0.006783559f, 0.028567301f],
        [0.08678055f, 0.11941585f, 0.02290826f, 0.040046915f, 0.04354795f, 0.0073665073f, 0.05013776f],
        [-0.039055243f, 0.028292798f, -0.032434385f, -0.12010692f, -0.08865608f, 0.03565302f, 0.04430788f],
        [-0.11883829f, 0.04829873f, -0.0025481363f, -0.011011124f, 0.051950764f, 0.0102917645f, -0.015717233f],
        [0.016743144f, -0.019404635f, 0.054548077f, -0.02585805f, -0.052157264f, 0.030164823f, 0.00032160524f],
    ];

    private static readonly float[][] ArcticReference =
    [
        [0.029322285f, 0.046078034f, 0.022832448f, 0.007929481f, -0.043674458f, -0.0144246565f, -0.05392925f],
        [0.01167262f, 0.060031664f, 0.033367783f, 0.007014276f, -0.015552248f, 0.0013845022f, -0.0060351025f],
        [-0.020510973f, 0.07165154f, 0.0028503416f, -0.069161646f, -0.091203175f, 0.01443192f, -0.057836924f],
        [-0.007398141f, 0.029027775f, 0.004960643f, -0.011181051f, -0.02051383f, -0.0045245634f, -0.07063081f],
        [-0.0044587576f, 0.05244571f, -0.041871876f, -0.019678853f, -0.020349992f, 0.048633225f, -0.040025976f],
    ];

    private static float[][] Rows(ISemanticEncoder encoder, IReadOnlyList<string> texts, int? batch = null)
    {
        using var vectors = encoder.Encode(texts);
        Assert.Equal([texts.Count, encoder.Dimension], vectors.shape);
        var flat = vectors.data<float>().ToArray();
        return Enumerable.Range(0, texts.Count).Select(i => flat.AsSpan(i * encoder.Dimension, encoder.Dimension).ToArray()).ToArray();
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b).Sum(p => (double)p.First * p.Second) / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    [Fact]
    public void MiniLMVectorsMatchTheReferenceEncoder() => AssertReference(models.MiniLM, MiniLMReference);

    [Fact]
    public void ArcticVectorsMatchTheReferenceEncoder() => AssertReference(models.Arctic, ArcticReference);

    private static void AssertReference(OnnxSentenceEncoder encoder, float[][] reference)
    {
        Assert.Equal(384, encoder.Dimension);
        var rows = Rows(encoder, Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(rows[i].Sum(x => (double)x * x)), 5);
            var observed = rows[i].Take(6).Append(rows[i][383]).ToArray();
            for (var j = 0; j < observed.Length; j++)
                Assert.True(Math.Abs(observed[j] - reference[i][j]) <= 1e-4, $"text {i}, value {j}: {observed[j]} against {reference[i][j]}");
        }
    }

    [Fact]
    public void AccentsAndCjkAreNormalisedAsHuggingFaceDoes() =>
        Assert.Equal(models.MiniLM.TokenizeToIds("unicode cafe resume naive — 東 京"), models.MiniLM.TokenizeToIds(Texts[4]));

    [Fact]
    public void ParaphrasesAreCloserThanUnrelatedTexts()
    {
        var rows = Rows(models.MiniLM, Texts[..3]);
        var paraphrase = Cosine(rows[0], rows[1]);
        var unrelated = Cosine(rows[0], rows[2]);
        Assert.InRange(paraphrase, 0.80, 0.82); // 0.808 from the reference encoder
        Assert.True(unrelated < 0.1, $"unrelated cosine {unrelated}");
    }

    [Fact]
    public void BatchingAndOrderDoNotChangeTheVectors()
    {
        using var oneAtATime = OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { BatchSize = 1, Threads = 1 });
        var batched = Rows(models.MiniLM, Texts);
        var single = Rows(oneAtATime, Texts.Reverse().ToArray()).Reverse().ToArray();
        for (var i = 0; i < Texts.Length; i++)
            for (var j = 0; j < 384; j++)
                Assert.True(Math.Abs(batched[i][j] - single[i][j]) <= 1e-5, $"text {i}, value {j}");
    }

    [Fact]
    public void LongTextsAreCutToTheMaximumLength()
    {
        var longText = string.Join(' ', Enumerable.Repeat("tent", 1000));
        Assert.Equal(256, models.MiniLM.TokenizeToIds(longText).Length);
        Assert.Equal(512, models.Arctic.TokenizeToIds(longText).Length);
        using var vectors = models.MiniLM.Encode([longText]);
        Assert.All(vectors.data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void APrefixChangesTheVectorsAndTheModelKey()
    {
        using var queries = OnnxSentenceEncoder.Load(PretrainedSentenceModel.ArcticXs, new() { TextPrefix = OnnxSentenceEncoder.ArcticQueryPrefix, Threads = 1 });
        Assert.NotEqual(models.Arctic.ModelKey, queries.ModelKey);
        Assert.NotEqual(models.MiniLM.ModelKey, models.Arctic.ModelKey);
        var plain = Rows(models.Arctic, Texts[..1])[0];
        var prefixed = Rows(queries, Texts[..1])[0];
        Assert.True(Cosine(plain, prefixed) < 0.999);
        Assert.Equal(models.Arctic.TokenizeToIds(OnnxSentenceEncoder.ArcticQueryPrefix + Texts[0]), queries.TokenizeToIds(Texts[0]));
    }

    [Fact]
    public void ProgressAndCancellation()
    {
        var reports = new List<SemanticEncodingProgress>();
        var texts = Enumerable.Range(0, 70).Select(i => $"item {i}").ToArray();
        using (models.MiniLM.Encode(texts, new SynchronousProgress<SemanticEncodingProgress>(reports.Add))) { }
        Assert.Equal(3, reports.Count); // batches of 32
        Assert.Equal(new SemanticEncodingProgress(70, 70), reports[^1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => models.MiniLM.Encode(texts, cancellationToken: cancelled.Token));
        Assert.Throws<ArgumentNullException>(() => models.MiniLM.Encode(["a", null!]));
    }

    [Fact]
    public void TheVectorCacheGivesTheSameVectorsWithoutTheModel()
    {
        var folder = Directory.CreateTempSubdirectory("gensr-onnx-cache-").FullName;
        try
        {
            var path = Path.Combine(folder, "minilm.vectors");
            float[][] first;
            using (var cached = OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { Threads = 1 }).WithVectorCache(path))
            {
                first = Rows(cached, Texts);
                Assert.Equal(Texts.Length, cached.Computed);
            }
            using var again = OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { Threads = 1 }).WithVectorCache(path);
            Assert.Equal(first, Rows(again, Texts));
            Assert.Equal(0, again.Computed);
            Assert.Throws<InvalidDataException>(() => models.Arctic.WithVectorCache(path)); // another model's file
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFolderModelNeedsItsFiles()
    {
        var folder = Directory.CreateTempSubdirectory("gensr-onnx-").FullName;
        try
        {
            Assert.Throws<DirectoryNotFoundException>(() => OnnxSentenceEncoder.Load(Path.Combine(folder, "absent"), SentencePooling.Mean, 128));
            var missing = Assert.Throws<FileNotFoundException>(() => OnnxSentenceEncoder.Load(folder, SentencePooling.Mean, 128));
            Assert.Contains("model.onnx", missing.Message);
            File.WriteAllText(Path.Combine(folder, "model.onnx"), "not an onnx model");
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "tent"]);
            var bad = Assert.Throws<InvalidDataException>(() => OnnxSentenceEncoder.Load(folder, SentencePooling.Mean, 128));
            Assert.Contains("model.onnx", bad.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSentenceEncoderOptions { MaxLength = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSentenceEncoderOptions { MaxLength = 513 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSentenceEncoderOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSentenceEncoderOptions { Threads = 0 });
        Assert.Throws<ArgumentNullException>(() => new OnnxSentenceEncoderOptions { TextPrefix = null! });
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxSentenceEncoder.Load((PretrainedSentenceModel)7));
    }
}
