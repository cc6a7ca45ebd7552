using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// A HF T5 checkpoint folder: <c>config.json</c>, the weights (<c>model.safetensors</c>, or shards listed in
/// <c>model.safetensors.index.json</c>) and the SentencePiece tokenizer <c>spiece.model</c> — what
/// <c>save_pretrained</c> writes for flan-t5-small/base and what <see cref="Save"/> writes here.
/// </summary>
public sealed class T5Checkpoint : IDisposable
{
    /// <summary>Name of the configuration file in a checkpoint folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Name of the single-file weights in a checkpoint folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Name of the shard index of sharded weights.</summary>
    public const string WeightsIndexFileName = "model.safetensors.index.json";

    /// <summary>Name of the SentencePiece model in a checkpoint folder.</summary>
    public const string TokenizerFileName = "spiece.model";

    private T5Checkpoint(T5Config config, T5ForConditionalGeneration model, T5Tokenizer? tokenizer)
    {
        Config = config;
        Model = model;
        Tokenizer = tokenizer;
    }

    /// <summary>The architecture read from <c>config.json</c>.</summary>
    public T5Config Config { get; }

    /// <summary>The model with the checkpoint's weights, in <c>eval()</c> mode.</summary>
    public T5ForConditionalGeneration Model { get; }

    /// <summary>The tokenizer, or null when the folder has no <c>spiece.model</c>.</summary>
    public T5Tokenizer? Tokenizer { get; }

    /// <summary>
    /// Loads a checkpoint folder. Names, shapes and dtypes of the weights are checked against <c>config.json</c> and every
    /// mismatch is reported in one <see cref="WeightsMismatchException"/>; bf16/f16 weights are converted to float32
    /// (then to <paramref name="precision"/>).
    /// </summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model goes (CPU when null).</param>
    /// <param name="precision">The precision to run in.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>config.json</c> or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    /// <exception cref="WeightsMismatchException">The weights do not fit the configuration; every mismatch is listed.</exception>
    public static T5Checkpoint Load(string folder, Device? device = null, T5Precision precision = T5Precision.Float32)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"T5 checkpoint folder not found: {folder}");
        var config = T5Config.Load(Path.Combine(folder, ConfigFileName));
        var tokenizerPath = Path.Combine(folder, TokenizerFileName);
        var tokenizer = File.Exists(tokenizerPath) ? T5Tokenizer.Load(tokenizerPath) : null;
        var model = new T5ForConditionalGeneration(config);
        try
        {
            var (tensors, origin) = ReadWeights(folder);
            try
            {
                model.LoadWeights(tensors, origin);
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            if (device is not null) model.to(device);
            model.UsePrecision(precision);
            model.eval();
            return new T5Checkpoint(config, model, tokenizer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a HF checkpoint folder (created if needed): <c>config.json</c>,
    /// <c>model.safetensors</c> and, when given, the tokenizer's <c>spiece.model</c>. Each file is written to a temporary
    /// file and renamed.
    /// </summary>
    public static void Save(string folder, T5ForConditionalGeneration model, T5Tokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        model.SaveWeights(Path.Combine(folder, WeightsFileName));
        model.Config.Save(Path.Combine(folder, ConfigFileName));
        tokenizer?.Save(Path.Combine(folder, TokenizerFileName));
    }

    private static (Dictionary<string, Tensor> Tensors, string Origin) ReadWeights(string folder)
    {
        var single = Path.Combine(folder, WeightsFileName);
        if (File.Exists(single)) return (SafeTensorsFile.Load(single), single);
        var index = Path.Combine(folder, WeightsIndexFileName);
        if (!File.Exists(index))
        {
            var hint = File.Exists(Path.Combine(folder, "pytorch_model.bin"))
                ? " The folder has pytorch_model.bin only: convert it to safetensors first (e.g. save_pretrained(..., safe_serialization=True))."
                : "";
            throw new FileNotFoundException($"{folder}: no {WeightsFileName} or {WeightsIndexFileName}.{hint}", single);
        }
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in ReadShardNames(index))
                foreach (var (name, t) in SafeTensorsFile.Load(Path.Combine(folder, shard)))
                    if (!merged.TryAdd(name, t))
                    {
                        t.Dispose();
                        throw new InvalidDataException($"{index}: tensor \"{name}\" appears in more than one shard.");
                    }
        }
        catch
        {
            foreach (var t in merged.Values) t.Dispose();
            throw;
        }
        return (merged, index);
    }

    private static IEnumerable<string> ReadShardNames(string indexPath)
    {
        try
        {
            var map = JsonNode.Parse(File.ReadAllText(indexPath))?["weight_map"] as JsonObject
                ?? throw new InvalidDataException($"{indexPath}: expected an object with a \"weight_map\" object.");
            return map.Select(kv => kv.Value!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{indexPath}: expected {{\"weight_map\": {{tensor name: shard file name}}}} ({e.Message}).", e);
        }
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();
}
