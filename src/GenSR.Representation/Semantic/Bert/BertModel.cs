using GenSR.Core;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// A BERT-architecture encoder without pooler (HF <c>BertModel(add_pooling_layer=False)</c>): embeddings (word +
/// position + token type, LayerNorm) and N post-LayerNorm self-attention layers. Parameter names are HF's
/// (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.0.attention.self.query.weight</c>, …), so HF
/// checkpoints load with <see cref="LoadCheckpoint"/> and <c>state_dict()</c> saves in their layout.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor>
{
    // Checkpoint tensors that belong to heads this model does not have, or to non-persistent buffers.
    private static readonly string[] IgnoredPrefixes = ["pooler.", "cls.", "embeddings.position_ids", "embeddings.token_type_ids"];

    [ComponentName(Name = "embeddings")]
    private readonly BertEmbeddings _embeddings;

    [ComponentName(Name = "encoder")]
    private readonly BertEncoder _encoder;

    /// <summary>Creates a randomly initialised model with the architecture of <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent (see <see cref="BertConfig.Validate"/>).</exception>
    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _embeddings = new BertEmbeddings(config);
        _encoder = new BertEncoder(config);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public BertConfig Config { get; }

    /// <summary>
    /// Loads <c>config.json</c> and <c>model.safetensors</c> from a HF checkpoint folder into a new model on
    /// <paramref name="device"/> (CPU when null), in evaluation mode.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>config.json</c> or <c>model.safetensors</c> is missing.</exception>
    /// <exception cref="InvalidDataException">The configuration or the weights are invalid or do not match (see <see cref="LoadCheckpoint"/>).</exception>
    public static BertModel Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"No BERT checkpoint folder at \"{directory}\".");
        var config = BertConfig.Load(Path.Combine(directory, "config.json"));
        var weights = Path.Combine(directory, "model.safetensors");
        if (!File.Exists(weights))
            throw new FileNotFoundException($"\"{directory}\" has no model.safetensors; only safetensors weights are read " +
                                            "(convert a pytorch_model.bin with HF's save_pretrained(safe_serialization=True)).", weights);
        var model = new BertModel(config);
        try
        {
            model.LoadCheckpoint(weights);
            if (device is not null) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies the weights of a HF BERT safetensors file into this model. Names may carry a <c>bert.</c> prefix (as saved
    /// by task models such as <c>BertForMaskedLM</c>); old-style LayerNorm names <c>gamma</c>/<c>beta</c> are read as
    /// <c>weight</c>/<c>bias</c>; pooler, prediction heads (<c>cls.</c>) and position-id buffers are ignored; F16, BF16 and
    /// F64 weights are converted to the model's dtype. Nothing is copied unless every tensor fits.
    /// </summary>
    /// <exception cref="WeightsMismatchException">Listing every problem at once: tensors the model needs but the file lacks,
    /// tensors the file has but the model does not know, shape mismatches, non-floating-point dtypes, and names that
    /// appear twice (with and without the prefix).</exception>
    public void LoadCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No safetensors file at \"{path}\".", path);
        var (entries, _) = SafeTensorsFile.ReadHeader(path);
        var expected = state_dict();
        var offered = entries
            .Select(e => new StrictStateDict.Offered(NormalizeName(e.Name), e.Shape, e.DType, e.Name))
            .Where(e => !IgnoredPrefixes.Any(p => e.Name.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        var problems = StrictStateDict.Problems(expected, offered, floatOnly: true);
        if (problems.Count > 0)
            throw new WeightsMismatchException(path, $"the BERT configuration (hidden_size {Config.HiddenSize}, {Config.NumHiddenLayers} layers, " +
                                                     $"{Config.NumAttentionHeads} heads, intermediate_size {Config.IntermediateSize}, vocab_size " +
                                                     $"{Config.VocabSize})", problems);
        var mapping = offered.ToDictionary(e => e.Name, e => e.Source!, StringComparer.Ordinal);

        var loaded = SafeTensorsFile.Load(path);
        try
        {
            StrictStateDict.Copy(expected, name => loaded[mapping[name]]);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Runs the encoder.
    /// </summary>
    /// <param name="inputIds">Token ids <c>[batch, seq]</c>, int64, <c>seq ≤ max_position_embeddings</c>.</param>
    /// <param name="attentionMask">Padding mask <c>[batch, seq]</c>: 1 (or true) for real tokens, 0 for padding; padding
    /// keys receive no attention. Segment (token type) ids are all 0.</param>
    /// <returns>The last hidden state <c>[batch, seq, hidden]</c> (rows at padding positions are computed but carry no meaning).</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"inputIds must be [batch, seq]; got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        if (!attentionMask.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"attentionMask must have the shape of inputIds [{string.Join(", ", inputIds.shape)}]; got " +
                $"[{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
        if (inputIds.shape[1] > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"The sequence has {inputIds.shape[1]} tokens; the model reads at most max_position_embeddings = " +
                $"{Config.MaxPositionEmbeddings}.", nameof(inputIds));
        using var scope = NewDisposeScope();
        var embedded = _embeddings.forward(inputIds);
        var bias = BertAttentionMask.Additive(attentionMask, embedded.dtype);
        return _encoder.forward(embedded, bias).MoveToOuterDisposeScope();
    }

    private static string NormalizeName(string name)
    {
        if (name.StartsWith("bert.", StringComparison.Ordinal)) name = name["bert.".Length..];
        if (name.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) name = name[..^"gamma".Length] + "weight";
        else if (name.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) name = name[..^"beta".Length] + "bias";
        return name;
    }

}
