using GenSR.Core;
using System.Text.Json;

namespace GenSR.Representation;

/// <summary>
/// The architecture of a BERT-family encoder, as in a HF <c>config.json</c> (<c>model_type: "bert"</c>; MiniLM and BGE
/// checkpoints use it too). Every property is validated when set; an out-of-range value throws
/// <see cref="ArgumentOutOfRangeException"/> naming the key and its allowed range.
/// </summary>
public sealed record BertConfig
{
    /// <summary>Activations that <c>hidden_act</c> may name.</summary>
    public static IReadOnlyList<string> SupportedActivations { get; } = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish"];

    /// <summary><c>vocab_size</c>: rows of the word-embedding table.</summary>
    public required int VocabSize { get; init => field = Positive(value, "vocab_size"); }

    /// <summary><c>hidden_size</c>: width of every hidden state, the sentence-vector dimension.</summary>
    public required int HiddenSize { get; init => field = Positive(value, "hidden_size"); }

    /// <summary><c>num_hidden_layers</c>: Transformer layers.</summary>
    public required int NumHiddenLayers { get; init => field = Positive(value, "num_hidden_layers"); }

    /// <summary><c>num_attention_heads</c>: heads per layer; must divide <see cref="HiddenSize"/>.</summary>
    public required int NumAttentionHeads { get; init => field = Positive(value, "num_attention_heads"); }

    /// <summary><c>intermediate_size</c>: width of the feed-forward layer.</summary>
    public required int IntermediateSize { get; init => field = Positive(value, "intermediate_size"); }

    /// <summary><c>hidden_act</c>: the feed-forward activation; <c>gelu</c> is the exact (erf) GELU, <c>gelu_new</c> and
    /// <c>gelu_pytorch_tanh</c> the tanh approximation. One of <see cref="SupportedActivations"/>.</summary>
    public string HiddenAct
    {
        get;
        init => field = SupportedActivations.Contains(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HiddenAct), value,
                $"hidden_act \"{value}\" is not supported; expected one of {string.Join(", ", SupportedActivations)}.");
    } = "gelu";

    /// <summary><c>max_position_embeddings</c>: the longest token sequence the model can read.</summary>
    public int MaxPositionEmbeddings { get; init => field = Positive(value, "max_position_embeddings"); } = 512;

    /// <summary><c>type_vocab_size</c>: rows of the token-type (segment) embedding table.</summary>
    public int TypeVocabSize { get; init => field = Positive(value, "type_vocab_size"); } = 2;

    /// <summary><c>layer_norm_eps</c>: epsilon of every LayerNorm; in (0, 1).</summary>
    public double LayerNormEps
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(LayerNormEps), nameof(BertConfig), minExclusive: true, maxExclusive: true);
    } = 1e-12;

    /// <summary><c>pad_token_id</c>: the id of the padding token.</summary>
    public int PadTokenId { get; init => field = OptionGuard.AtLeast(value, 0, nameof(PadTokenId), nameof(BertConfig)); }

    /// <summary><c>hidden_dropout_prob</c>: dropout after embeddings and sub-layers while training; in [0, 1).</summary>
    public double HiddenDropoutProb { get; init => field = Probability(value, "hidden_dropout_prob"); } = 0.1;

    /// <summary><c>attention_probs_dropout_prob</c>: dropout on attention weights while training; in [0, 1).</summary>
    public double AttentionProbsDropoutProb { get; init => field = Probability(value, "attention_probs_dropout_prob"); } = 0.1;

    /// <summary>Reads a HF <c>config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, lacks a required key, has a value of the wrong type or
    /// range, or describes another architecture; the message names the file and the key.</exception>
    public static BertConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No BERT config.json at \"{path}\".", path);
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object.");
            if (root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "bert")
                throw new InvalidDataException(
                    $"{path}: model_type is \"{type.GetString()}\"; only \"bert\" checkpoints (BERT, MiniLM, BGE, …) are supported.");
            if (root.TryGetProperty("position_embedding_type", out var positions) && positions.ValueKind == JsonValueKind.String
                && positions.GetString() != "absolute")
                throw new InvalidDataException($"{path}: position_embedding_type is \"{positions.GetString()}\"; only \"absolute\" is supported.");

            int Int(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
                ? i
                : throw new InvalidDataException($"{path}: \"{key}\" is missing or is not an integer.");
            int? OptionalInt(string key) => root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? Int(key) : null;
            double? OptionalDouble(string key) => !root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null
                ? null
                : v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new InvalidDataException($"{path}: \"{key}\" is not a number.");
            string? OptionalString(string key) => !root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null
                ? null
                : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new InvalidDataException($"{path}: \"{key}\" is not a string.");

            try
            {
                var defaults = new BertConfig { VocabSize = 1, HiddenSize = 1, NumHiddenLayers = 1, NumAttentionHeads = 1, IntermediateSize = 1 };
                var config = new BertConfig
                {
                    VocabSize = Int("vocab_size"),
                    HiddenSize = Int("hidden_size"),
                    NumHiddenLayers = Int("num_hidden_layers"),
                    NumAttentionHeads = Int("num_attention_heads"),
                    IntermediateSize = Int("intermediate_size"),
                    HiddenAct = OptionalString("hidden_act") ?? defaults.HiddenAct,
                    MaxPositionEmbeddings = OptionalInt("max_position_embeddings") ?? defaults.MaxPositionEmbeddings,
                    TypeVocabSize = OptionalInt("type_vocab_size") ?? defaults.TypeVocabSize,
                    LayerNormEps = OptionalDouble("layer_norm_eps") ?? defaults.LayerNormEps,
                    PadTokenId = OptionalInt("pad_token_id") ?? defaults.PadTokenId,
                    HiddenDropoutProb = OptionalDouble("hidden_dropout_prob") ?? defaults.HiddenDropoutProb,
                    AttentionProbsDropoutProb = OptionalDouble("attention_probs_dropout_prob") ?? defaults.AttentionProbsDropoutProb,
                };
                config.Validate();
                return config;
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }
    }

    /// <summary>Checks the relations between keys that single properties cannot.</summary>
    /// <exception cref="ArgumentException"><see cref="HiddenSize"/> is not a multiple of <see cref="NumAttentionHeads"/>, or
    /// <see cref="PadTokenId"/> is not below <see cref="VocabSize"/>.</exception>
    public void Validate()
    {
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads}).");
        if (PadTokenId >= VocabSize)
            throw new ArgumentException($"pad_token_id ({PadTokenId}) must be below vocab_size ({VocabSize}).");
    }

    private static int Positive(int value, string key) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(key, value, $"{key} must be at least 1; got {value}.");

    private static double Probability(double value, string key) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(key, value, $"{key} must be in [0, 1); got {value}.");
}
