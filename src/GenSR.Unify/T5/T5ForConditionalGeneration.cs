using GenSR.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// A T5 encoder–decoder language model (Raffel et al., 2020) that matches HF transformers'
/// <c>T5ForConditionalGeneration</c> numerically and by parameter name (<c>shared.weight</c>,
/// <c>encoder.block.0.layer.0.SelfAttention.q.weight</c>, …, <c>lm_head.weight</c> when untied), so HF safetensors
/// load here and weights saved here load in PyTorch.
/// </summary>
/// <remarks>
/// The pieces a generative recommender needs are public separately: <see cref="EmbedTokens"/> (the shared
/// embedding) and <see cref="Encode"/> over embeddings, so soft tokens can be spliced into the input;
/// <see cref="Decode"/> with teacher forcing and <see cref="ComputeLoss"/>; <see cref="CreateStepDecoder"/> for
/// beam search with a KV cache; <see cref="ResizeTokenEmbeddings"/> for added identifier tokens.
/// Dropout follows the module's mode: call <c>train()</c> for training and <c>eval()</c> for inference.
/// </remarks>
public sealed class T5ForConditionalGeneration : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>The label value that <see cref="ComputeLoss"/> ignores and <see cref="ShiftRight"/> turns into padding (PyTorch's
    /// <c>ignore_index</c> default).</summary>
    public const long IgnoreLabel = -100;

    // Field names are the HF parameter names.
    private readonly Embedding shared;
    private readonly T5EncoderStack encoder;
    private readonly T5DecoderStack decoder;
    private readonly T5Linear? lm_head;
    private readonly T5ComputeContext context;

    /// <summary>Creates a model with random weights, initialised as HF initialises T5 (see <see cref="InitializeWeights"/>).</summary>
    /// <param name="config">The architecture; validated here.</param>
    /// <param name="generator">Random source of the initialisation; null uses torch's global generator (seed it with <c>torch.manual_seed</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid; the message names every bad key.</exception>
    public T5ForConditionalGeneration(T5Config config, Generator? generator = null) : base(nameof(T5ForConditionalGeneration))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        context = new T5ComputeContext();
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5EncoderStack(config, context);
        decoder = new T5DecoderStack(config, context);
        if (!config.TieWordEmbeddings) lm_head = new T5Linear(config.DModel, config.VocabSize, context);
        RegisterComponents();
        InitializeWeights(generator);
    }

    /// <summary>The architecture (its <see cref="T5Config.VocabSize"/> follows <see cref="ResizeTokenEmbeddings"/>).</summary>
    public T5Config Config { get; private set; }

    /// <summary>The precision in force (see <see cref="UsePrecision"/>).</summary>
    public T5Precision Precision { get; private set; } = T5Precision.Float32;

    /// <summary>The device the weights live on.</summary>
    public Device Device => shared.weight!.device;

    /// <summary>The shared token embedding [vocab, d_model] (also the output projection when tied).</summary>
    public Parameter SharedEmbedding => shared.weight!;

    /// <summary>The untied output projection [vocab, d_model], or null when tied to <see cref="SharedEmbedding"/>.</summary>
    public Parameter? OutputProjection => lm_head?.Weight;

    internal T5EncoderStack EncoderStack => encoder;

    internal T5DecoderStack DecoderStack => decoder;

    /// <summary>
    /// (Re)initialises every weight as HF's <c>T5PreTrainedModel._init_weights</c> does (factor f =
    /// <see cref="T5Config.InitializerFactor"/>): embeddings and an untied <c>lm_head</c> N(0, f²); <c>q</c>
    /// N(0, f²/(d_model·d_kv)); <c>k</c>, <c>v</c> N(0, f²/d_model); <c>o</c> N(0, f²/(heads·d_kv)); relative bias
    /// N(0, f²/d_model); <c>wi*</c> N(0, f²/d_model); <c>wo</c> N(0, f²/d_ff); layer norms f.
    /// </summary>
    /// <param name="generator">Random source; null uses torch's global generator.</param>
    public void InitializeWeights(Generator? generator = null)
    {
        var c = Config;
        var f = c.InitializerFactor;
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            var leaf = name[(name.LastIndexOf('.', name.Length - ".weight".Length - 1) + 1)..];
            double? std = leaf switch
            {
                "shared.weight" or "lm_head.weight" => f,
                "q.weight" => f * Math.Pow((double)c.DModel * c.DKv, -0.5),
                "k.weight" or "v.weight" => f * Math.Pow(c.DModel, -0.5),
                "o.weight" => f * Math.Pow((double)c.NumHeads * c.DKv, -0.5),
                "relative_attention_bias.weight" => f * Math.Pow(c.DModel, -0.5),
                "wi.weight" or "wi_0.weight" or "wi_1.weight" => f * Math.Pow(c.DModel, -0.5),
                "wo.weight" => f * Math.Pow(c.DFf, -0.5),
                "layer_norm.weight" or "final_layer_norm.weight" => null,
                _ => throw new InvalidOperationException($"No initialisation rule for parameter \"{name}\"."),
            };
            if (std is { } s) nn.init.normal_(p, 0, s, generator);
            else p.FillInPlace(f);
        }
    }

    /// <summary>
    /// Switches precision. <see cref="T5Precision.BFloat16Autocast"/> keeps (or converts back to) float32 weights and
    /// runs matrix products in bfloat16; <see cref="T5Precision.BFloat16"/> converts the weights themselves to
    /// bfloat16; <see cref="T5Precision.Float32"/> converts them to float32 (bfloat16 weights do not regain the precision
    /// they lost). Create optimizers after this call: converting weights replaces the parameter tensors.
    /// </summary>
    public void UsePrecision(T5Precision precision)
    {
        var weightType = precision == T5Precision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        if (shared.weight!.dtype != weightType) this.to(weightType);
        context.ComputeDType = precision == T5Precision.BFloat16Autocast ? ScalarType.BFloat16 : null;
        Precision = precision;
    }

    /// <summary>Looks up the shared embedding: int64 ids [B, L] → [B, L, d_model] (in the weights' dtype).</summary>
    public Tensor EmbedTokens(Tensor inputIds) => shared.forward(inputIds);

    /// <summary>
    /// Runs the encoder over input embeddings, e.g. <see cref="EmbedTokens"/> output with soft tokens spliced in.
    /// </summary>
    /// <param name="inputEmbeddings">[B, L, d_model].</param>
    /// <param name="attentionMask">[B, L]: 1 for real positions, 0 for padding.</param>
    /// <returns>The encoder's last hidden state [B, L, d_model] (float32 unless the weights are bfloat16).</returns>
    public Tensor Encode(Tensor inputEmbeddings, Tensor attentionMask)
    {
        CheckRank(inputEmbeddings, 3, nameof(inputEmbeddings), "[batch, length, d_model]");
        if (inputEmbeddings.shape[2] != Config.DModel)
            throw new ArgumentException($"inputEmbeddings has width {inputEmbeddings.shape[2]}, expected d_model = {Config.DModel}.", nameof(inputEmbeddings));
        CheckMask(attentionMask, inputEmbeddings.shape[0], inputEmbeddings.shape[1], nameof(attentionMask));
        return encoder.forward(inputEmbeddings, attentionMask);
    }

    /// <summary>Embeds <paramref name="inputIds"/> [B, L] and runs the encoder (see <see cref="Encode"/>).</summary>
    public Tensor EncodeTokens(Tensor inputIds, Tensor attentionMask)
    {
        CheckRank(inputIds, 2, nameof(inputIds), "[batch, length]");
        using var embeddings = EmbedTokens(inputIds);
        return Encode(embeddings, attentionMask);
    }

    /// <summary>
    /// Teacher-forced decoding: logits for every position of <paramref name="decoderInputIds"/> (usually
    /// <see cref="ShiftRight"/> of the labels) given the encoder output.
    /// </summary>
    /// <param name="decoderInputIds">int64 [B, T].</param>
    /// <param name="encoderHidden">[B, L, d_model] from <see cref="Encode"/>.</param>
    /// <param name="encoderAttentionMask">[B, L] mask of the encoder input.</param>
    /// <returns>float32 logits [B, T, vocab].</returns>
    public Tensor Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor encoderAttentionMask)
    {
        CheckRank(decoderInputIds, 2, nameof(decoderInputIds), "[batch, target length]");
        CheckRank(encoderHidden, 3, nameof(encoderHidden), "[batch, length, d_model]");
        if (decoderInputIds.shape[0] != encoderHidden.shape[0])
            throw new ArgumentException($"decoderInputIds has {decoderInputIds.shape[0]} rows but encoderHidden has {encoderHidden.shape[0]}.",
                nameof(decoderInputIds));
        CheckMask(encoderAttentionMask, encoderHidden.shape[0], encoderHidden.shape[1], nameof(encoderAttentionMask));
        using var scope = NewDisposeScope();
        var hidden = decoder.forward(EmbedTokens(decoderInputIds), encoderHidden, encoderAttentionMask);
        return ProjectToVocabulary(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes <paramref name="inputIds"/> [B, L] under <paramref name="attentionMask"/> and decodes <paramref name="decoderInputIds"/> [B, T];
    /// returns float32 logits [B, T, vocab].</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var scope = NewDisposeScope();
        var encoded = EncodeTokens(inputIds, attentionMask);
        return Decode(decoderInputIds, encoded, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decoder inputs for teacher forcing: the labels shifted one position right, <see cref="T5Config.DecoderStartTokenId"/>
    /// first, and <see cref="IgnoreLabel"/> replaced by <see cref="T5Config.PadTokenId"/>.
    /// </summary>
    /// <param name="labels">int64 [B, T].</param>
    /// <returns>int64 [B, T].</returns>
    public Tensor ShiftRight(Tensor labels)
    {
        CheckRank(labels, 2, nameof(labels), "[batch, target length]");
        using var scope = NewDisposeScope();
        var start = TensorScalarOps.Full([labels.shape[0], 1], Config.DecoderStartTokenId, ScalarType.Int64, labels.device);
        var shifted = cat([start, labels.narrow(1, 0, labels.shape[1] - 1).to(ScalarType.Int64)], 1);
        return shifted.MaskedFill(shifted.EqScalar(IgnoreLabel), Config.PadTokenId).MoveToOuterDisposeScope();
    }

    /// <summary>Mean token cross-entropy (float32) of <paramref name="logits"/> [B, T, vocab] against <paramref name="labels"/> [B, T], skipping
    /// <see cref="IgnoreLabel"/> positions.</summary>
    /// <remarks>When every label is ignored the mean is undefined and the result is NaN, as in PyTorch.</remarks>
    public static Tensor ComputeLoss(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 3 || labels.dim() != 2 || logits.shape[0] != labels.shape[0] || logits.shape[1] != labels.shape[1])
            throw new ArgumentException($"Expected logits [B, T, vocab] and labels [B, T]; got logits [{string.Join(", ", logits.shape)}] and labels " +
                $"[{string.Join(", ", labels.shape)}].", nameof(labels));
        using var scope = NewDisposeScope();
        var flat = logits.reshape(-1, logits.shape[2]).to(ScalarType.Float32);
        var loss = nn.functional.cross_entropy(flat, labels.reshape(-1).to(ScalarType.Int64), ignore_index: IgnoreLabel);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decoder hidden states [..., d_model] → float32 logits [..., vocab]: scaled by <c>d_model^-0.5</c> when
    /// <see cref="T5Config.ScalesDecoderOutputs"/>, then projected by <c>lm_head</c> or the tied shared embedding.
    /// </summary>
    /// <summary>
    /// The output logits of a few tokens per row: <paramref name="decoderHidden"/> <c>[N, d]</c> against the output rows of
    /// <paramref name="tokens"/> <c>[N, C]</c> → float32 <c>[N, C]</c>, equal to the matching columns of
    /// <see cref="ProjectToVocabulary"/> without computing the others.
    /// </summary>
    internal Tensor ProjectToTokens(Tensor decoderHidden, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var h = decoderHidden.to(ScalarType.Float32);
        if (Config.ScalesDecoderOutputs) h = h.MulScalar(Math.Pow(Config.DModel, -0.5));
        var weight = lm_head is null ? shared.weight! : lm_head.Weight;
        var (n, c) = (tokens.shape[0], tokens.shape[1]);
        var rows = weight.index_select(0, tokens.flatten()).to(ScalarType.Float32).view(n, c, -1);   // [N, C, d]
        return rows.bmm(h.unsqueeze(2)).squeeze(2).MoveToOuterDisposeScope();
    }

    internal Tensor ProjectToVocabulary(Tensor decoderHidden)
    {
        using var scope = NewDisposeScope();
        var h = Config.ScalesDecoderOutputs ? decoderHidden.MulScalar(Math.Pow(Config.DModel, -0.5)) : decoderHidden;
        var weight = lm_head is null ? shared.weight! : lm_head.Weight;
        return T5Linear.Project(h, weight, context).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Grows (or shrinks) the vocabulary to <paramref name="newVocabSize"/> rows: the shared embedding and, when untied,
    /// <c>lm_head</c>. Existing rows are kept. New rows are initialised as HF's <c>resize_token_embeddings</c> does: with
    /// <paramref name="meanResizing"/>, samples from a normal with the old rows' mean and 1e-9 × their covariance (the mean
    /// itself when that covariance is not positive definite); otherwise N(0, f²) like a fresh embedding.
    /// Create optimizers after resizing: the parameters are replaced.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newVocabSize"/> is not positive or would drop the pad, eos or
    /// decoder start token.</exception>
    public void ResizeTokenEmbeddings(int newVocabSize, bool meanResizing = true, Generator? generator = null)
    {
        var highestSpecial = new[] { Config.PadTokenId, Config.EosTokenId, Config.DecoderStartTokenId }.Max();
        if (newVocabSize <= highestSpecial)
            throw new ArgumentOutOfRangeException(nameof(newVocabSize), newVocabSize,
                $"The vocabulary must keep the special tokens: expected more than {highestSpecial} rows.");
        if (newVocabSize == Config.VocabSize) return;
        using (no_grad())
        {
            shared.weight = new Parameter(ResizeRows(shared.weight!, newVocabSize, meanResizing, Config.InitializerFactor, generator));
            if (lm_head is not null)
                lm_head.Weight = new Parameter(ResizeRows(lm_head.Weight, newVocabSize, meanResizing, Config.InitializerFactor, generator));
        }
        Config = Config with { VocabSize = newVocabSize };
    }

    private static Tensor ResizeRows(Tensor old, long rows, bool meanResizing, double std, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var (oldRows, width) = (old.shape[0], old.shape[1]);
        var resized = empty(rows, width, old.dtype, old.device);
        var kept = Math.Min(rows, oldRows);
        resized.narrow(0, 0, kept).copy_(old.narrow(0, 0, kept));
        if (rows > oldRows)
        {
            var added = rows - oldRows;
            var target = resized.narrow(0, oldRows, added);
            if (!meanResizing)
            {
                nn.init.normal_(target, 0, std, generator);
            }
            else
            {
                // HF's mean resizing (transformers PreTrainedModel._init_added_embeddings_weights_with_mean):
                // N(mean, 1e-9 · covariance) of the existing rows, keeping new tokens close to the centroid.
                var weights = old.to(ScalarType.Float32);
                var mean = weights.mean([0L]);
                var centered = weights.Minus(mean);
                var covariance = matmul(centered.t(), centered).DivScalar(oldRows);
                var (cholesky, info) = linalg.cholesky_ex(covariance.MulScalar(1e-9));
                var sample = info.item<int>() == 0
                    ? mean.Plus(matmul(randn([added, width], ScalarType.Float32, old.device, generator: generator), cholesky.t()))
                    : mean.unsqueeze(0).expand(added, width);
                target.copy_(sample);
            }
        }
        return resized.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Creates the incremental decoder that beam search drives: it computes every decoder layer's encoder keys and
    /// values once and keeps a self-attention KV cache that grows one position per <see cref="T5StepDecoder.Step"/>.
    /// Run it in <c>eval()</c> mode (dropout is applied in training mode). The decoder copies what it needs; the
    /// arguments may be disposed afterwards.
    /// </summary>
    /// <param name="encoderHidden">[B, L, d_model] from <see cref="Encode"/>.</param>
    /// <param name="attentionMask">[B, L] mask of the encoder input.</param>
    public T5StepDecoder CreateStepDecoder(Tensor encoderHidden, Tensor attentionMask)
    {
        CheckRank(encoderHidden, 3, nameof(encoderHidden), "[batch, length, d_model]");
        CheckMask(attentionMask, encoderHidden.shape[0], encoderHidden.shape[1], nameof(attentionMask));
        return new T5StepDecoder(this, encoderHidden, attentionMask);
    }

    /// <summary>
    /// Greedy decoding as HF's <c>generate(do_sample=False, num_beams=1)</c>: starts from the decoder start token, takes
    /// the arg-max each step, pads sequences after their eos, stops when all have ended or after
    /// <paramref name="maxNewTokens"/> tokens.
    /// </summary>
    /// <returns>int64 [B, 1 + generated] beginning with the decoder start token.</returns>
    public Tensor GenerateGreedy(Tensor inputIds, Tensor attentionMask, int maxNewTokens)
    {
        if (maxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "maxNewTokens must be at least 1.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var encoded = EncodeTokens(inputIds, attentionMask);
        using var stepDecoder = CreateStepDecoder(encoded, attentionMask);
        stepDecoder.Start(1);
        var tokens = TensorScalarOps.Full([inputIds.shape[0]], Config.DecoderStartTokenId, ScalarType.Int64, Device);
        var sequence = new List<Tensor> { tokens };
        var finished = zeros(inputIds.shape[0], ScalarType.Bool, Device);
        for (var i = 0; i < maxNewTokens; i++)
        {
            var next = stepDecoder.Step(tokens).argmax(-1);
            using (var pad = ((long)Config.PadTokenId).ToScalar())
                next = where(finished, full_like(next, pad), next);
            sequence.Add(next);
            finished = finished.logical_or(next.EqScalar(Config.EosTokenId));
            tokens = next;
            if (finished.all().item<bool>()) break;
        }
        return stack(sequence, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Writes every parameter to a safetensors file under its HF name (with <c>format: pt</c> metadata, as PyTorch and HF expect).</summary>
    public void SaveWeights(string path) =>
        SafeTensorsFile.Save(path, state_dict(), new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>Loads a safetensors file (see <see cref="LoadWeights(IReadOnlyDictionary{string, Tensor}, string)"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WeightsMismatchException">The file's tensors do not fit the configuration; every mismatch is listed.</exception>
    public void LoadWeights(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"T5 weights file not found: {path}", path);
        var tensors = SafeTensorsFile.Load(path);
        try
        {
            LoadWeights(tensors, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Copies named tensors into the parameters after checking that the names, shapes and dtypes fit the configuration.
    /// Floating-point tensors of any precision are converted to the parameters' dtype and device. HF's tied aliases
    /// <c>encoder.embed_tokens.weight</c>, <c>decoder.embed_tokens.weight</c> (and <c>lm_head.weight</c> when tied) and the
    /// unused cross-attention bias some old checkpoints carry are accepted and not loaded.
    /// </summary>
    /// <param name="tensors">Tensors by HF parameter name.</param>
    /// <param name="origin">What the tensors came from (a file path), for the error message.</param>
    /// <exception cref="WeightsMismatchException">Any tensor is missing, unexpected, of the wrong shape or not floating point; all are listed at once and
    /// nothing is loaded.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string origin = "weights")
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var aliasProblems = new List<string>();
        var offered = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, source) in tensors)
        {
            if (name == UnusedCrossAttentionBias) continue;
            if (IsTiedAlias(name))
            {
                if (!source.shape.SequenceEqual(shared.weight!.shape))
                    aliasProblems.Add($"\"{name}\" (an alias of shared.weight) has shape {Shape(source)}, expected {Shape(shared.weight!)}");
                continue;
            }
            offered[name] = source;
        }
        StrictStateDict.Load(state_dict(), offered, origin,
            $"the T5 configuration (d_model {Config.DModel}, {Config.NumLayers} + {Config.NumDecoderLayers} layers, vocab_size {Config.VocabSize})",
            floatOnly: true, aliasProblems);
    }

    // Old T5 checkpoints store a relative bias for decoder cross-attention that T5 never uses (HF ignores it too).
    private const string UnusedCrossAttentionBias = "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight";

    private bool IsTiedAlias(string name) =>
        name is "encoder.embed_tokens.weight" or "decoder.embed_tokens.weight" || (name == "lm_head.weight" && lm_head is null);

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    private static void CheckRank(Tensor t, int rank, string name, string layout)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != rank) throw new ArgumentException($"{name} has shape {Shape(t)}, expected {layout}.", name);
    }

    private static void CheckMask(Tensor mask, long batch, long length, string name)
    {
        ArgumentNullException.ThrowIfNull(mask, name);
        if (mask.dim() != 2 || mask.shape[0] != batch || mask.shape[1] != length)
            throw new ArgumentException($"{name} has shape {Shape(mask)}, expected [{batch}, {length}] (1 = token, 0 = padding).", name);
    }
}
