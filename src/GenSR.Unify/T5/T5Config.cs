using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenSR.Unify;

/// <summary>
/// The architecture of a T5 encoder–decoder, read and written as a HF <c>config.json</c> (the same keys, so a
/// folder written here loads in HF transformers and a HF checkpoint's config loads here). Every property is
/// checked by <see cref="Validate"/>, which <see cref="T5ForConditionalGeneration"/> calls on construction.
/// </summary>
public sealed record T5Config
{
    /// <summary>Rows of the shared token embedding and columns of the output logits (<c>vocab_size</c>).</summary>
    public int VocabSize { get; init; } = 32128;

    /// <summary>Width of the residual stream (<c>d_model</c>).</summary>
    public int DModel { get; init; } = 512;

    /// <summary>Width of one attention head's keys, queries and values (<c>d_kv</c>).</summary>
    public int DKv { get; init; } = 64;

    /// <summary>Hidden width of the feed-forward sublayer (<c>d_ff</c>).</summary>
    public int DFf { get; init; } = 2048;

    /// <summary>Encoder blocks (<c>num_layers</c>).</summary>
    public int NumLayers { get; init; } = 6;

    /// <summary>Decoder blocks (<c>num_decoder_layers</c>; HF uses <see cref="NumLayers"/> when the key is absent).</summary>
    public int NumDecoderLayers { get; init; } = 6;

    /// <summary>Attention heads per attention sublayer (<c>num_heads</c>).</summary>
    public int NumHeads { get; init; } = 8;

    /// <summary>Buckets of the learned relative position bias (<c>relative_attention_num_buckets</c>).</summary>
    public int RelativeAttentionNumBuckets { get; init; } = 32;

    /// <summary>Distance beyond which relative positions share a bucket (<c>relative_attention_max_distance</c>).</summary>
    public int RelativeAttentionMaxDistance { get; init; } = 128;

    /// <summary>Dropout probability used everywhere in training mode (<c>dropout_rate</c>, in [0, 1)).</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Epsilon added to the mean square in RMS layer norm (<c>layer_norm_epsilon</c>).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Scale of the random initialisation (<c>initializer_factor</c>; 1 in every released checkpoint).</summary>
    public double InitializerFactor { get; init; } = 1.0;

    /// <summary>
    /// The feed-forward sublayer (<c>feed_forward_proj</c>): <c>relu</c> (original T5), <c>gated-gelu</c> (T5 v1.1 /
    /// flan-t5; GELU in its tanh approximation, HF's <c>gelu_new</c>), <c>gated-relu</c>, <c>gelu</c> (exact),
    /// <c>silu</c> or <c>gated-silu</c>.
    /// </summary>
    public string FeedForwardProj { get; init; } = "relu";

    /// <summary>Whether the output projection reuses the shared embedding (<c>tie_word_embeddings</c>); when false the model owns
    /// <c>lm_head.weight</c>.</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>
    /// Whether the decoder output is multiplied by <c>d_model^-0.5</c> before the output projection
    /// (<c>scale_decoder_outputs</c>). Null (the key is absent in older configs) means: as <see cref="TieWordEmbeddings"/>.
    /// Read <see cref="ScalesDecoderOutputs"/> for the value in force.
    /// </summary>
    public bool? ScaleDecoderOutputs { get; init; }

    /// <summary>The token the decoder starts from (<c>decoder_start_token_id</c>; the pad token in T5).</summary>
    public int DecoderStartTokenId { get; init; }

    /// <summary>The padding token (<c>pad_token_id</c>).</summary>
    public int PadTokenId { get; init; }

    /// <summary>The end-of-sequence token (<c>eos_token_id</c>).</summary>
    public int EosTokenId { get; init; } = 1;

    /// <summary>The scaling of decoder outputs in force: <see cref="ScaleDecoderOutputs"/>, or <see cref="TieWordEmbeddings"/> when that is null.</summary>
    public bool ScalesDecoderOutputs => ScaleDecoderOutputs ?? TieWordEmbeddings;

    /// <summary>Whether the feed-forward sublayer is gated (<c>wi_0</c>, <c>wi_1</c>, <c>wo</c>) rather than plain (<c>wi</c>, <c>wo</c>).</summary>
    public bool IsGatedFeedForward => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>Width of all heads together (<c>num_heads × d_kv</c>).</summary>
    public int InnerDim => NumHeads * DKv;

    /// <summary>
    /// A small configuration sized for a vocabulary: the project's anchor model (d_model 256, d_ff 1024, 8 heads of 32,
    /// 4 + 4 layers, ReLU feed-forward, tied output projection; 8.7M parameters at a vocabulary of 5,123).
    /// </summary>
    /// <param name="vocabSize">Rows of the shared embedding (the tokenizer's vocabulary plus any added tokens).</param>
    /// <param name="dModel">Width of the residual stream; heads keep 32 dimensions each and d_ff is 4 × d_model.</param>
    /// <param name="layers">Encoder blocks and decoder blocks (each).</param>
    /// <param name="dropoutRate">Dropout probability in training mode.</param>
    public static T5Config Small(int vocabSize, int dModel = 256, int layers = 4, double dropoutRate = 0.1)
    {
        if (dModel < 32 || dModel % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(dModel), dModel, "dModel must be a positive multiple of 32 (heads of 32 dimensions).");
        var config = new T5Config
        {
            VocabSize = vocabSize,
            DModel = dModel,
            DKv = 32,
            NumHeads = dModel / 32,
            DFf = 4 * dModel,
            NumLayers = layers,
            NumDecoderLayers = layers,
            DropoutRate = dropoutRate,
            FeedForwardProj = "relu",
            TieWordEmbeddings = true,
            ScaleDecoderOutputs = true,
        };
        config.Validate();
        return config;
    }

    /// <summary>Checks every property and throws one exception naming each property that is out of range.</summary>
    /// <exception cref="ArgumentException">One or more properties are invalid; the message lists them all with the allowed ranges.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        void Positive(string key, long value)
        {
            if (value <= 0) problems.Add($"{key} = {value}: expected a positive integer");
        }
        Positive("vocab_size", VocabSize);
        Positive("d_model", DModel);
        Positive("d_kv", DKv);
        Positive("d_ff", DFf);
        Positive("num_layers", NumLayers);
        Positive("num_decoder_layers", NumDecoderLayers);
        Positive("num_heads", NumHeads);
        if (RelativeAttentionNumBuckets < 4)
            problems.Add($"relative_attention_num_buckets = {RelativeAttentionNumBuckets}: expected at least 4 (half of them exact, half " +
                "logarithmic, in each direction)");
        if (RelativeAttentionMaxDistance <= RelativeAttentionNumBuckets / 2)
            problems.Add($"relative_attention_max_distance = {RelativeAttentionMaxDistance}: expected more than relative_attention_num_buckets / 2 = " +
                $"{RelativeAttentionNumBuckets / 2}");
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            problems.Add($"dropout_rate = {DropoutRate}: expected a probability in [0, 1)");
        if (!(LayerNormEpsilon > 0 && LayerNormEpsilon < 1))
            problems.Add($"layer_norm_epsilon = {LayerNormEpsilon}: expected a value in (0, 1)");
        if (!(InitializerFactor > 0) || double.IsInfinity(InitializerFactor))
            problems.Add($"initializer_factor = {InitializerFactor}: expected a positive finite value");
        if (!SupportedFeedForward.Contains(FeedForwardProj ?? ""))
            problems.Add($"feed_forward_proj = \"{FeedForwardProj}\": expected one of {string.Join(", ", SupportedFeedForward.Select(s => "\"" + s + "\""))}");
        foreach (var (key, id) in new[] { ("decoder_start_token_id", DecoderStartTokenId), ("pad_token_id", PadTokenId), ("eos_token_id", EosTokenId) })
            if (id < 0 || id >= VocabSize)
                problems.Add($"{key} = {id}: expected a token id in [0, vocab_size = {VocabSize})");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid T5 configuration: " + string.Join("; ", problems) + ".");
    }

    private static readonly string[] SupportedFeedForward = ["relu", "gated-gelu", "gated-relu", "gelu", "silu", "gated-silu"];

    /// <summary>Parses a HF <c>config.json</c> text; keys this model does not use are ignored; the result is validated.</summary>
    /// <param name="json">The JSON object text.</param>
    /// <param name="source">Where the text came from, for error messages (e.g. the file path).</param>
    /// <exception cref="InvalidDataException">The text is not a JSON object, a key has the wrong JSON type, or the values are invalid; the message names the
    /// source and the key.</exception>
    public static T5Config FromJson(string json, string source = "config.json")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        var defaults = new T5Config();
        var numLayers = ReadInt(root, "num_layers", defaults.NumLayers, source);
        var tie = ReadBool(root, "tie_word_embeddings", defaults.TieWordEmbeddings, source);
        var config = new T5Config
        {
            VocabSize = ReadInt(root, "vocab_size", defaults.VocabSize, source),
            DModel = ReadInt(root, "d_model", defaults.DModel, source),
            DKv = ReadInt(root, "d_kv", defaults.DKv, source),
            DFf = ReadInt(root, "d_ff", defaults.DFf, source),
            NumLayers = numLayers,
            NumDecoderLayers = root["num_decoder_layers"] is null ? numLayers : ReadInt(root, "num_decoder_layers", numLayers, source),
            NumHeads = ReadInt(root, "num_heads", defaults.NumHeads, source),
            RelativeAttentionNumBuckets = ReadInt(root, "relative_attention_num_buckets", defaults.RelativeAttentionNumBuckets, source),
            RelativeAttentionMaxDistance = ReadInt(root, "relative_attention_max_distance", defaults.RelativeAttentionMaxDistance, source),
            DropoutRate = ReadDouble(root, "dropout_rate", defaults.DropoutRate, source),
            LayerNormEpsilon = ReadDouble(root, "layer_norm_epsilon", defaults.LayerNormEpsilon, source),
            InitializerFactor = ReadDouble(root, "initializer_factor", defaults.InitializerFactor, source),
            FeedForwardProj = ReadString(root, "feed_forward_proj", defaults.FeedForwardProj, source),
            TieWordEmbeddings = tie,
            ScaleDecoderOutputs = root["scale_decoder_outputs"] is null ? null : ReadBool(root, "scale_decoder_outputs", tie, source),
            DecoderStartTokenId = ReadInt(root, "decoder_start_token_id", defaults.DecoderStartTokenId, source),
            PadTokenId = ReadInt(root, "pad_token_id", defaults.PadTokenId, source),
            EosTokenId = ReadEos(root, defaults.EosTokenId, source),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        return config;
    }

    /// <summary>Reads and parses a HF <c>config.json</c> file (see <see cref="FromJson"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the key.</exception>
    public static T5Config Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"T5 config file not found: {path}", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Writes the configuration as HF <c>config.json</c> text (with <c>model_type</c>, <c>architectures</c> and the derived
    /// <c>dense_act_fn</c>/<c>is_gated_act</c> so HF reads it as written).</summary>
    public string ToJson()
    {
        var act = FeedForwardProj == "gated-gelu" ? "gelu_new" : FeedForwardProj.Split('-')[^1];
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
            ["model_type"] = "t5",
            ["is_encoder_decoder"] = true,
            ["vocab_size"] = VocabSize,
            ["d_model"] = DModel,
            ["d_kv"] = DKv,
            ["d_ff"] = DFf,
            ["num_layers"] = NumLayers,
            ["num_decoder_layers"] = NumDecoderLayers,
            ["num_heads"] = NumHeads,
            ["relative_attention_num_buckets"] = RelativeAttentionNumBuckets,
            ["relative_attention_max_distance"] = RelativeAttentionMaxDistance,
            ["dropout_rate"] = DropoutRate,
            ["layer_norm_epsilon"] = LayerNormEpsilon,
            ["initializer_factor"] = InitializerFactor,
            ["feed_forward_proj"] = FeedForwardProj,
            ["dense_act_fn"] = act,
            ["is_gated_act"] = IsGatedFeedForward,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["scale_decoder_outputs"] = ScalesDecoderOutputs,
            ["decoder_start_token_id"] = DecoderStartTokenId,
            ["pad_token_id"] = PadTokenId,
            ["eos_token_id"] = EosTokenId,
            ["use_cache"] = true,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (through a temporary file and a rename).</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, ToJson());
        File.Move(tmp, path, overwrite: true);
    }

    private static int ReadInt(JsonObject root, string key, int fallback, string source)
    {
        var node = root[key];
        if (node is null) return fallback;
        try
        {
            var value = node.GetValue<double>();
            if (value != Math.Floor(value) || value is < int.MinValue or > int.MaxValue) throw new FormatException();
            return (int)value;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: \"{key}\" must be an integer, found {node.ToJsonString()}.", e);
        }
    }

    private static double ReadDouble(JsonObject root, string key, double fallback, string source)
    {
        var node = root[key];
        if (node is null) return fallback;
        try
        {
            return node.GetValue<double>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: \"{key}\" must be a number, found {node.ToJsonString()}.", e);
        }
    }

    private static bool ReadBool(JsonObject root, string key, bool fallback, string source)
    {
        var node = root[key];
        if (node is null) return fallback;
        try
        {
            return node.GetValue<bool>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: \"{key}\" must be true or false, found {node.ToJsonString()}.", e);
        }
    }

    private static string ReadString(JsonObject root, string key, string fallback, string source)
    {
        var node = root[key];
        if (node is null) return fallback;
        try
        {
            return node.GetValue<string>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: \"{key}\" must be a string, found {node.ToJsonString()}.", e);
        }
    }

    // Some configs store eos_token_id as a list of ids; the first is the one generation stops at.
    private static int ReadEos(JsonObject root, int fallback, string source) =>
        root["eos_token_id"] is JsonArray { Count: > 0 } list
            ? ReadInt(new JsonObject { ["eos_token_id"] = list[0]!.DeepClone() }, "eos_token_id", fallback, source)
            : ReadInt(root, "eos_token_id", fallback, source);
}
