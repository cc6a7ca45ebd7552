using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Semantic;

/// <summary>Loading, validation, truncation and batching of the BERT sentence encoder.</summary>
public sealed class BertSentenceEncoderTests
{
    private static readonly string[] Texts =
    [
        "Fender light guitar strings 10 pack", "Kreg stainless wood screws, 500-Pack!", "unseen words like zebra & 42",
        "guitar", "", "stainless steel screws for wood and metal, pack of five hundred",
    ];

    private static BertSentenceEncoderOptions Cpu => new() { Device = TorchSharp.torch.CPU };

    [Fact]
    public void Checkpoint_with_a_bert_prefix_and_extra_heads_loads_to_the_same_model()
    {
        var folder = BertFixture.CopyToTemporary();
        try
        {
            var weights = Path.Combine(folder, "model.safetensors");
            var tensors = SafeTensorsFile.Load(weights);
            var renamed = tensors.ToDictionary(kv => "bert." + kv.Key, kv => kv.Value);
            renamed["bert.pooler.dense.weight"] = zeros(32, 32);
            renamed["cls.predictions.bias"] = zeros(478);
            SafeTensorsFile.Save(weights, renamed);

            using var original = BertSentenceEncoder.Load(BertFixture.Directory, Cpu);
            using var prefixed = BertSentenceEncoder.Load(folder, Cpu);
            using var a = original.Encode(Texts);
            using var b = prefixed.Encode(Texts);
            Assert.True(a.eq(b).all().ToBoolean());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Loading_reports_every_missing_unexpected_and_misshapen_tensor()
    {
        var folder = BertFixture.CopyToTemporary();
        try
        {
            var weights = Path.Combine(folder, "model.safetensors");
            var tensors = SafeTensorsFile.Load(weights);
            tensors.Remove("encoder.layer.1.output.dense.bias");
            tensors["encoder.layer.0.intermediate.dense.weight"] = zeros(65, 32);
            tensors["encoder.layer.2.attention.self.query.weight"] = zeros(32, 32);
            SafeTensorsFile.Save(weights, tensors);

            var e = Assert.Throws<WeightsMismatchException>(() => BertSentenceEncoder.Load(folder, Cpu));
            Assert.Contains("3 problem(s)", e.Message);
            Assert.Contains("missing \"encoder.layer.1.output.dense.bias\"", e.Message);
            Assert.Contains("\"encoder.layer.0.intermediate.dense.weight\" has shape [65, 32], expected [64, 32]", e.Message);
            Assert.Contains("unexpected \"encoder.layer.2.attention.self.query.weight\"", e.Message);
            Assert.Contains(weights, e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_config_without_a_required_key_is_rejected_naming_file_and_key()
    {
        var folder = BertFixture.CopyToTemporary();
        try
        {
            var configPath = Path.Combine(folder, "config.json");
            File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"hidden_size\"", "\"hidden_width\""));
            var e = Assert.Throws<InvalidDataException>(() => BertSentenceEncoder.Load(folder, Cpu));
            Assert.Contains("hidden_size", e.Message);
            Assert.Contains(configPath, e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Long_texts_are_truncated_to_max_length_ending_with_sep()
    {
        using var encoder = BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { MaxLength = 8 });
        var ids = encoder.TokenizeToIds(Texts[2]);
        Assert.Equal(8, ids.Count);
        Assert.Equal(encoder.Tokenizer.ClassificationTokenId, ids[0]);
        Assert.Equal(encoder.Tokenizer.SeparatorTokenId, ids[^1]);
        using var full = BertSentenceEncoder.Load(BertFixture.Directory, Cpu);
        Assert.Equal(full.TokenizeToIds(Texts[2]).Take(7), ids.Take(7));
        Assert.Equal(64, full.MaxLength);
    }

    [Fact]
    public void Batch_size_and_length_sorting_do_not_change_the_vectors_or_their_order()
    {
        using var one = BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { BatchSize = 1 });
        using var all = BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { BatchSize = 4 });
        using var scope = NewDisposeScope();
        var a = one.Encode(Texts);
        var b = all.Encode(Texts);
        Assert.Equal(new long[] { Texts.Length, one.Dimension }, a.shape);
        Assert.True((a - b).abs().max().ToSingle() < 1e-5f);
        var single = one.Encode([Texts[3]]);
        Assert.True((single[0] - a[3]).abs().max().ToSingle() < 1e-5f);
    }

    [Fact]
    public void Cls_pooling_takes_the_first_hidden_state()
    {
        using var encoder = BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { Pooling = SentencePooling.Cls, Normalize = false });
        using var scope = NewDisposeScope();
        var batch = encoder.Tokenize(Texts);
        var hidden = encoder.Model.forward(batch.InputIds, batch.AttentionMask);
        var vectors = encoder.Encode(Texts);
        Assert.True((vectors - hidden.select(1, 0)).abs().max().ToSingle() < 1e-5f);
    }

    [Fact]
    public void Sentence_transformers_and_tokenizer_settings_in_the_folder_are_followed()
    {
        var folder = BertFixture.CopyToTemporary();
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
            File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), """{"word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
            File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), """{"max_seq_length": 16, "do_lower_case": false}""");
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 1000000000000000019884624838656}""");
            using var configured = BertSentenceEncoder.Load(folder, Cpu);
            Assert.Equal(SentencePooling.Cls, configured.Pooling);
            Assert.Equal(16, configured.MaxLength);
            Assert.False(configured.Tokenizer.LowerCaseBeforeTokenization);

            using var overridden = BertSentenceEncoder.Load(folder, Cpu with { Pooling = SentencePooling.Mean, MaxLength = 32, LowerCase = true });
            Assert.Equal(SentencePooling.Mean, overridden.Pooling);
            Assert.Equal(32, overridden.MaxLength);
            Assert.True(overridden.Tokenizer.LowerCaseBeforeTokenization);
            Assert.NotEqual(configured.TokenizeToIds("Fender GUITAR"), overridden.TokenizeToIds("Fender GUITAR"));

            File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), """{"pooling_mode_max_tokens": true}""");
            Assert.Contains("Pooling", Assert.Throws<InvalidDataException>(() => BertSentenceEncoder.Load(folder, Cpu)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Bad_options_are_rejected_naming_the_option()
    {
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new BertSentenceEncoderOptions { BatchSize = 0 }).Message);
        Assert.Contains("MaxLength", Assert.Throws<ArgumentOutOfRangeException>(() => new BertSentenceEncoderOptions { MaxLength = 1 }).Message);
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { MaxLength = 65 }));
        Assert.Contains("max_position_embeddings", tooLong.Message);
        Assert.Throws<DirectoryNotFoundException>(() => BertSentenceEncoder.Load(Path.Combine(BertFixture.Directory, "missing"), Cpu));
    }

    [Fact]
    public void Encoding_reports_progress_and_honours_cancellation()
    {
        using var encoder = BertSentenceEncoder.Load(BertFixture.Directory, Cpu with { BatchSize = 2 });
        var reports = new List<SemanticEncodingProgress>();
        using (var vectors = encoder.Encode(Texts, new SynchronousProgress<SemanticEncodingProgress>(reports.Add))) { }
        Assert.Equal([2, 4, 6], reports.Select(r => r.Encoded));
        Assert.All(reports, r => Assert.Equal(Texts.Length, r.Total));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => encoder.Encode(Texts, cancellationToken: cancelled.Token));
    }
}
