using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>HF checkpoint folders load, save and round-trip; weights that do not fit are reported all at once.</summary>
public sealed class T5CheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "gensr-t5-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static Tensor Logits(T5ForConditionalGeneration model)
    {
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 11, 16, 25, 1, 7, 8, 1, 0 }, [2, 4]);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]);
        return model.forward(ids, mask, tensor(new long[] { 0, 5, 17, 0, 9, 9 }, [2, 3]));
    }

    [Fact]
    public void A_fixture_folder_loads_with_its_tokenizer_in_eval_mode()
    {
        using var checkpoint = HfParityFixture.Open("t5-gated").LoadCheckpoint();
        Assert.NotNull(checkpoint.Tokenizer);
        Assert.False(checkpoint.Model.training);
        Assert.Equal("gated-gelu", checkpoint.Config.FeedForwardProj);
        Assert.Equal(checkpoint.Config, checkpoint.Model.Config);
    }

    [Fact]
    public void Save_then_load_gives_identical_logits_and_files_HF_reads()
    {
        using var source = HfParityFixture.Open("t5-relu").LoadCheckpoint();
        T5Checkpoint.Save(folder, source.Model, source.Tokenizer);
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        Assert.True(File.Exists(Path.Combine(folder, "spiece.model")));
        var (entries, metadata) = SafeTensorsFile.ReadHeader(Path.Combine(folder, "model.safetensors"));
        Assert.Equal("pt", metadata["format"]);
        Assert.All(entries, e => Assert.Equal("F32", e.DType));

        using var reloaded = T5Checkpoint.Load(folder);
        using var scope = NewDisposeScope();
        Assert.True(Identical(Logits(source.Model), Logits(reloaded.Model)));
        Assert.Equal(source.Tokenizer!.Encode("guitar strings"), reloaded.Tokenizer!.Encode("guitar strings"));
    }

    [Fact]
    public void An_untied_model_saves_and_reloads_its_output_projection()
    {
        var config = new T5Config { VocabSize = 50, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, NumLayers = 1, NumDecoderLayers = 2, TieWordEmbeddings = false };
        using var model = new T5ForConditionalGeneration(config, new Generator(4));
        model.eval();
        T5Checkpoint.Save(folder, model);
        Assert.Contains(SafeTensorsFile.ReadHeader(Path.Combine(folder, "model.safetensors")).Entries, e => e.Name == "lm_head.weight");
        using var reloaded = T5Checkpoint.Load(folder);
        Assert.Null(reloaded.Tokenizer);
        using var scope = NewDisposeScope();
        Assert.True(Identical(Logits(model), Logits(reloaded.Model)));
    }

    [Fact]
    public void Every_mismatch_is_reported_in_one_exception_and_nothing_is_loaded()
    {
        var fixture = HfParityFixture.Open("t5-gated");
        var tensors = SafeTensorsFile.Load(Path.Combine(fixture.Folder, "model.safetensors"));
        tensors.Remove("decoder.final_layer_norm.weight", out var removed);
        removed!.Dispose();
        tensors["encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"] = zeros(32, 4);
        tensors["encoder.block.0.layer.0.SelfAttention.q.weight"] = zeros(64, 32);
        tensors["shared.weight"] = zeros([256, 64], ScalarType.Int32);
        tensors["encoder.embed_tokens.weight"] = zeros(256, 64); // HF's tied alias: accepted
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(fixture.Folder, "config.json"), Path.Combine(folder, "config.json"));
        SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), tensors);
        foreach (var t in tensors.Values) t.Dispose();

        var e = Assert.Throws<WeightsMismatchException>(() => T5Checkpoint.Load(folder));
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("missing \"decoder.final_layer_norm.weight\"", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("unexpected \"encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight\"", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("\"encoder.block.0.layer.0.SelfAttention.q.weight\" has shape [64, 32], expected [64, 64]", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("\"shared.weight\" has dtype I32, expected a floating-point dtype", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(folder, "model.safetensors"), e.Message);
    }

    [Fact]
    public void Bf16_weights_are_converted_to_the_model_dtype()
    {
        var fixture = HfParityFixture.Open("t5-gated");
        var tensors = SafeTensorsFile.Load(Path.Combine(fixture.Folder, "model.safetensors"));
        var bf16 = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(fixture.Folder, "config.json"), Path.Combine(folder, "config.json"));
        SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), bf16);

        using var checkpoint = T5Checkpoint.Load(folder);
        var loaded = checkpoint.Model.state_dict();
        foreach (var (name, t) in bf16)
        {
            Assert.Equal(ScalarType.Float32, loaded[name].dtype);
            Assert.True(Identical(loaded[name], t.to(ScalarType.Float32)), name);
        }
        foreach (var t in tensors.Values.Concat(bf16.Values)) t.Dispose();
    }

    [Fact]
    public void Missing_folders_and_files_get_clear_errors()
    {
        Assert.Throws<DirectoryNotFoundException>(() => T5Checkpoint.Load(folder));
        Directory.CreateDirectory(folder);
        var noConfig = Assert.Throws<FileNotFoundException>(() => T5Checkpoint.Load(folder));
        Assert.Contains("config.json", noConfig.Message);
        File.Copy(Path.Combine(HfParityFixture.Open("t5-relu").Folder, "config.json"), Path.Combine(folder, "config.json"));
        File.WriteAllText(Path.Combine(folder, "pytorch_model.bin"), "");
        var noWeights = Assert.Throws<FileNotFoundException>(() => T5Checkpoint.Load(folder));
        Assert.Contains("pytorch_model.bin", noWeights.Message);
    }

    [Fact]
    public void Sharded_weights_are_read_through_their_index()
    {
        var fixture = HfParityFixture.Open("t5-relu");
        var tensors = SafeTensorsFile.Load(Path.Combine(fixture.Folder, "model.safetensors"));
        var encoderPart = tensors.Where(kv => !kv.Key.StartsWith("decoder.", StringComparison.Ordinal)).ToList();
        var decoderPart = tensors.Where(kv => kv.Key.StartsWith("decoder.", StringComparison.Ordinal)).ToList();
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(fixture.Folder, "config.json"), Path.Combine(folder, "config.json"));
        SafeTensorsFile.Save(Path.Combine(folder, "model-00001-of-00002.safetensors"), encoderPart);
        SafeTensorsFile.Save(Path.Combine(folder, "model-00002-of-00002.safetensors"), decoderPart);
        var map = string.Join(", ", encoderPart.Select(kv => $"\"{kv.Key}\": \"model-00001-of-00002.safetensors\"")
            .Concat(decoderPart.Select(kv => $"\"{kv.Key}\": \"model-00002-of-00002.safetensors\"")));
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {" + map + "}}");

        using var sharded = T5Checkpoint.Load(folder);
        using var single = fixture.LoadCheckpoint();
        using var scope = NewDisposeScope();
        Assert.True(Identical(Logits(single.Model), Logits(sharded.Model)));
        foreach (var t in tensors.Values) t.Dispose();
    }

    private static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
