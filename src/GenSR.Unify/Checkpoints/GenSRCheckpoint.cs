using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core.Identifiers;
using GenSR.Core.Serialization;
using GenSR.Core.Text;
using GenSR.Unify.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Checkpoints;

/// <summary>
/// A GenSR checkpoint folder: <c>model.safetensors</c> (every parameter and buffer of <see cref="GenSRModel"/>, loadable
/// by PyTorch's <c>safetensors.torch.load_file</c>) and <c>gensr.json</c> (format and library version, model config,
/// identifier table, vocabulary, item keys and titles). A SentencePiece vocabulary keeps its <c>spiece.model</c> next to
/// them. Saving writes a sibling temporary folder and renames it into place, so an interrupted save never damages the
/// previous checkpoint; loading validates the manifest and every tensor's name, shape and dtype and reports all problems.
/// </summary>
public sealed class GenSRCheckpoint : IDisposable
{
    /// <summary>Version of the manifest layout.</summary>
    public const int FormatVersion = 1;

    /// <summary>File name of the weights.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>File name of the manifest.</summary>
    public const string ManifestFileName = "gensr.json";

    /// <summary>File name of a SentencePiece model kept with the checkpoint.</summary>
    public const string SentencePieceFileName = "spiece.model";

    private GenSRCheckpoint(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, JsonObject? extra)
    {
        Model = model;
        Builder = builder;
        ItemKeys = itemKeys;
        Extra = extra;
    }

    /// <summary>The model with its weights loaded.</summary>
    public GenSRModel Model { get; }

    /// <summary>The input builder (config, vocabulary, identifiers, titles).</summary>
    public GenSRInputBuilder Builder { get; }

    /// <summary>External key of every item, by dense id.</summary>
    public IReadOnlyList<string> ItemKeys { get; }

    /// <summary>Free-form metadata saved with the checkpoint (e.g. training state), or null.</summary>
    public JsonObject? Extra { get; }

    /// <summary>The library version written into manifests.</summary>
    public static string LibraryVersion =>
        typeof(GenSRCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GenSRCheckpoint).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Saves a model and its input side into <paramref name="folder"/> (replacing it atomically).</summary>
    /// <param name="folder">Destination folder.</param>
    /// <param name="model">The model.</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="itemKeys">External key of every item, by dense id.</param>
    /// <param name="extra">Optional metadata stored under "extra".</param>
    /// <param name="sidecarFiles">Extra files to write into the folder (name → writer), e.g. optimizer state.</param>
    public static void Save(string folder, GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, JsonObject? extra = null,
                            IReadOnlyDictionary<string, Action<string>>? sidecarFiles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(itemKeys);
        if (itemKeys.Count != model.Config.ItemCount)
            throw new ArgumentException($"{itemKeys.Count} item keys given for {model.Config.ItemCount} items.", nameof(itemKeys));
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"\"{folder}\" has no parent folder.", nameof(folder));
        Directory.CreateDirectory(parent);
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(temp);
        try
        {
            var tensors = new List<KeyValuePair<string, Tensor>>();
            using (var scope = NewDisposeScope())
            {
                foreach (var (name, tensor) in model.state_dict()) tensors.Add(new(name, tensor.detach().cpu().contiguous()));
                SafeTensorsFile.Save(Path.Combine(temp, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt", ["library"] = "GenSR.NET " + LibraryVersion });
            }

            JsonObject vocabulary;
            switch (builder.Vocabulary)
            {
                case CompactGpt2Vocabulary compact:
                    vocabulary = new JsonObject { ["kind"] = "compact-gpt2", ["data"] = compact.ToJson() };
                    break;
                case PretrainedTokenizerVocabulary { SentencePieceModel: { } spiece } pretrained:
                    File.WriteAllBytes(Path.Combine(temp, SentencePieceFileName), spiece);
                    vocabulary = new JsonObject
                    {
                        ["kind"] = "sentencepiece",
                        ["identifier_token_count"] = pretrained.IdentifierTokenCount,
                        ["base_vocabulary_size"] = pretrained.BaseVocabularySize,
                    };
                    break;
                default:
                    throw new NotSupportedException($"Saving a {builder.Vocabulary.GetType().Name} is not supported; use CompactGpt2Vocabulary or a vocabulary from PretrainedTokenizerVocabulary.FromSentencePiece.");
            }

            var manifest = new JsonObject
            {
                ["format"] = "gensr-checkpoint",
                ["format_version"] = FormatVersion,
                ["library_version"] = LibraryVersion,
                ["model"] = model.Config.ToJson(),
                ["prompt_history_items"] = builder.PromptHistoryItems,
                ["vocabulary"] = vocabulary,
                ["identifiers"] = builder.Identifiers.ToJson(),
                ["item_keys"] = new JsonArray(itemKeys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()),
                ["item_titles"] = new JsonArray(builder.Titles.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
                ["extra"] = extra?.DeepClone(),
            };
            File.WriteAllText(Path.Combine(temp, ManifestFileName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            if (sidecarFiles is not null)
                foreach (var (name, write) in sidecarFiles) write(Path.Combine(temp, name));

            string? old = null;
            if (Directory.Exists(full))
            {
                old = $"{full}.old-{Guid.NewGuid():N}";
                Directory.Move(full, old);
            }

            Directory.Move(temp, full);
            if (old is not null) Directory.Delete(old, recursive: true);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Loads a checkpoint folder onto <paramref name="device"/> (CPU by default).</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model goes; CPU when null.</param>
    /// <param name="queryEncoder">The query encoder of a model that reads query vectors (the one it was trained with); the
    /// checkpoint stores the model's side only. Without it such a model loads, but building a batch fails with a clear message.</param>
    /// <exception cref="GenSRCheckpointException">The manifest or weights are malformed or do not match; every problem is listed.</exception>
    public static GenSRCheckpoint Load(string folder, Device? device = null, Representation.Semantic.ISemanticEncoder? queryEncoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var manifestPath = Path.Combine(folder, ManifestFileName);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"\"{folder}\" is not a GenSR checkpoint: {ManifestFileName} is missing.", manifestPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"\"{folder}\" is not a complete GenSR checkpoint: {WeightsFileName} is missing.", weightsPath);
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new InvalidDataException($"{manifestPath}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifestPath}: malformed JSON ({e.Message}).", e);
        }

        if ((string?)manifest["format"] != "gensr-checkpoint")
            throw new InvalidDataException($"{manifestPath}: \"format\" must be \"gensr-checkpoint\".");
        var version = manifest["format_version"] is JsonValue v && v.TryGetValue<int>(out var fv) ? fv : -1;
        if (version != FormatVersion)
            throw new InvalidDataException($"{manifestPath}: format_version {version} is not supported (this library reads version {FormatVersion}).");

        var config = GenSRModelConfig.FromJson(manifest["model"], $"{manifestPath} \"model\"");
        var identifiers = IdentifierTable.FromJson(manifest["identifiers"], $"{manifestPath} \"identifiers\"");
        var vocabulary = ReadVocabulary(manifest["vocabulary"] as JsonObject, folder, manifestPath);
        var keys = ReadStrings(manifest["item_keys"], config.ItemCount, manifestPath, "item_keys");
        var titles = ReadStrings(manifest["item_titles"], config.ItemCount, manifestPath, "item_titles");
        var promptItems = manifest["prompt_history_items"] is JsonValue p && p.TryGetValue<int>(out var pi) ? pi
            : throw new InvalidDataException($"{manifestPath}: \"prompt_history_items\" must be an integer.");
        GenSRInputBuilder builder;
        try
        {
            builder = new GenSRInputBuilder(config, vocabulary, identifiers, titles, promptItems, queryEncoder);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{manifestPath}: {e.Message}", e);
        }

        var tensors = SafeTensorsFile.Load(weightsPath);
        try
        {
            var collaborative = Take(tensors, GenSRModel.ItemCollaborativeName, [config.ItemCount, config.CollaborativeDimension], folder);
            var titleIds = Take(tensors, GenSRModel.ItemTitleIdsName, [config.ItemCount, config.TitleTokens], folder);
            var textVectors = config.HasQueryVectors ? Take(tensors, GenSRModel.ItemTextVectorsName, [config.ItemCount, config.QueryVectorDimension], folder) : null;
            var model = new GenSRModel(config, collaborative, titleIds.to(ScalarType.Int64), vocabulary.PadId, itemTextVectors: textVectors);
            try
            {
                LoadState(model, tensors, folder);
                if (device is not null && device.type != DeviceType.CPU) model.MoveTo(device);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            return new GenSRCheckpoint(model, builder, keys, manifest["extra"] as JsonObject);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Copies <paramref name="tensors"/> into <paramref name="model"/>'s parameters and buffers after checking names, shapes and dtypes.</summary>
    /// <exception cref="GenSRCheckpointException">Anything does not match; all problems are listed.</exception>
    public static void LoadState(GenSRModel model, IReadOnlyDictionary<string, Tensor> tensors, string origin)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var expected = model.state_dict();
        var problems = new List<string>();
        foreach (var (name, target) in expected)
        {
            if (!tensors.TryGetValue(name, out var source)) problems.Add($"missing \"{name}\" (expected {target.dtype} [{string.Join(", ", target.shape)}])");
            else if (!source.shape.SequenceEqual(target.shape)) problems.Add($"\"{name}\" has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", target.shape)}]");
            else if (source.is_floating_point() != target.is_floating_point() || (!target.is_floating_point() && source.dtype != target.dtype))
                problems.Add($"\"{name}\" has dtype {source.dtype}, expected {target.dtype}");
        }

        foreach (var name in tensors.Keys)
            if (!expected.ContainsKey(name)) problems.Add($"unexpected \"{name}\"");
        if (problems.Count > 0) throw new GenSRCheckpointException(origin, problems.Order(StringComparer.Ordinal).ToList());
        using var noGrad = no_grad();
        foreach (var (name, target) in expected) target.copy_(tensors[name]);
    }

    /// <summary>Releases the model.</summary>
    public void Dispose() => Model.Dispose();

    private static Tensor Take(IReadOnlyDictionary<string, Tensor> tensors, string name, long[] shape, string folder)
    {
        if (!tensors.TryGetValue(name, out var t) || !t.shape.SequenceEqual(shape))
            throw new GenSRCheckpointException(folder, [$"\"{name}\" must exist with shape [{string.Join(", ", shape)}]" + (t is null ? " (missing)" : $" (found [{string.Join(", ", t.shape)}])")]);
        return t;
    }

    private static ModelVocabulary ReadVocabulary(JsonObject? node, string folder, string manifestPath)
    {
        if (node is null) throw new InvalidDataException($"{manifestPath}: \"vocabulary\" must be an object.");
        switch ((string?)node["kind"])
        {
            case "compact-gpt2":
                return CompactGpt2Vocabulary.FromJson(node["data"], $"{manifestPath} \"vocabulary\"");
            case "sentencepiece":
                var path = Path.Combine(folder, SentencePieceFileName);
                if (!File.Exists(path)) throw new FileNotFoundException($"{manifestPath}: the vocabulary is SentencePiece but {SentencePieceFileName} is missing.", path);
                var count = node["identifier_token_count"] is JsonValue c && c.TryGetValue<int>(out var ci) ? ci : throw new InvalidDataException($"{manifestPath}: \"vocabulary.identifier_token_count\" must be an integer.");
                var baseSize = node["base_vocabulary_size"] is JsonValue b && b.TryGetValue<int>(out var bi) ? bi : throw new InvalidDataException($"{manifestPath}: \"vocabulary.base_vocabulary_size\" must be an integer.");
                return PretrainedTokenizerVocabulary.FromSentencePiece(path, count, baseSize);
            default:
                throw new InvalidDataException($"{manifestPath}: \"vocabulary.kind\" must be \"compact-gpt2\" or \"sentencepiece\".");
        }
    }

    private static string[] ReadStrings(JsonNode? node, int count, string manifestPath, string name)
    {
        if (node is not JsonArray array || array.Count != count)
            throw new InvalidDataException($"{manifestPath}: \"{name}\" must be an array of {count} strings.");
        var result = new string[count];
        for (var i = 0; i < count; i++)
            result[i] = array[i] is JsonValue s && s.TryGetValue<string>(out var text) ? text : throw new InvalidDataException($"{manifestPath}: \"{name}\"[{i}] must be a string.");
        return result;
    }
}
