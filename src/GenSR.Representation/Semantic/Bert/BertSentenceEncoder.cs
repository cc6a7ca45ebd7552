using System.Text.Json;
using GenSR.Core;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Sentence vectors from a BERT-architecture checkpoint on disk (e.g. a MiniLM or BGE folder): WordPiece tokenisation
/// with Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>, the <see cref="BertModel"/> encoder, and mean (or
/// <c>[CLS]</c>) pooling over the attention mask, optionally L2-normalised.
/// </summary>
/// <remarks>
/// The folder holds HF's <c>config.json</c>, <c>model.safetensors</c> and <c>vocab.txt</c>, and optionally
/// <c>tokenizer_config.json</c> (read for <c>do_lower_case</c> and <c>model_max_length</c>) and, in a sentence-transformers
/// folder, <c>sentence_bert_config.json</c> (<c>max_seq_length</c>, <c>do_lower_case</c>) and <c>1_Pooling/config.json</c>
/// (mean or <c>[CLS]</c> pooling); options set explicitly take precedence. Texts are tokenised as
/// HF's <c>BertTokenizer</c> does (basic tokenisation: lower-casing and accent stripping for uncased vocabularies,
/// splitting on whitespace and punctuation, CJK characters apart; then greedy longest-match WordPiece), wrapped in
/// <c>[CLS] … [SEP]</c> and truncated to <see cref="MaxLength"/>. Batches are formed from texts of similar length so
/// little padding is computed; the output keeps the input order.
/// </remarks>
public sealed class BertSentenceEncoder : ISemanticEncoder
{
    private bool _disposed;

    private BertSentenceEncoder(BertModel model, BertTokenizer tokenizer, BertSentenceEncoderOptions options, int maxLength,
        SentencePooling pooling, Device device)
    {
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        MaxLength = maxLength;
        Pooling = pooling;
        Device = device;
    }

    /// <summary>The encoder network (evaluation mode, on <see cref="Device"/>).</summary>
    public BertModel Model { get; }

    /// <summary>The WordPiece tokenizer built from the checkpoint's <c>vocab.txt</c>.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>The options the encoder was created with.</summary>
    public BertSentenceEncoderOptions Options { get; }

    /// <summary>The architecture of the checkpoint.</summary>
    public BertConfig Config => Model.Config;

    /// <summary>Longest token sequence, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>How sentence vectors are pooled (from the options, else the folder's pooling module, else mean).</summary>
    public SentencePooling Pooling { get; }

    /// <inheritdoc />
    /// <remarks>The checkpoint's <c>hidden_size</c>.</remarks>
    public int Dimension => Model.Config.HiddenSize;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>Loads the checkpoint folder <paramref name="modelDirectory"/> (see the class remarks for the files it reads).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the weights do not fit the configuration (every mismatch
    /// is listed), or the vocabulary's special tokens disagree with the configuration.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BertSentenceEncoderOptions.MaxLength"/> exceeds the checkpoint's
    /// <c>max_position_embeddings</c>.</exception>
    public static BertSentenceEncoder Load(string modelDirectory, BertSentenceEncoderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        options ??= new BertSentenceEncoderOptions();
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"No BERT checkpoint folder at \"{modelDirectory}\".");
        var vocabPath = Path.Combine(modelDirectory, "vocab.txt");
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"\"{modelDirectory}\" has no vocab.txt (the WordPiece vocabulary).", vocabPath);

        var (lowerCaseSetting, modelMaxLength) = ReadTokenizerConfig(Path.Combine(modelDirectory, "tokenizer_config.json"));
        var (sentenceLowerCase, sentenceMaxLength) = ReadSentenceTransformersConfig(Path.Combine(modelDirectory, "sentence_bert_config.json"));
        var pooling = options.Pooling ?? ReadPoolingConfig(Path.Combine(modelDirectory, "1_Pooling", "config.json")) ?? SentencePooling.Mean;
        var lowerCase = options.LowerCase ?? sentenceLowerCase ?? lowerCaseSetting ?? true;
        var (tokenizer, vocabularySize) = BertWordPiece.Create(File.ReadAllLines(vocabPath), lowerCase, vocabPath);

        var device = TorchRuntime.Resolve(options.Device);
        var model = BertModel.Load(modelDirectory, device);
        try
        {
            var config = model.Config;
            if (tokenizer.PaddingTokenId != config.PadTokenId)
                throw new InvalidDataException(
                    $"{vocabPath}: [PAD] has id {tokenizer.PaddingTokenId} but config.json says pad_token_id = {config.PadTokenId}.");
            if (vocabularySize > config.VocabSize)
                throw new InvalidDataException($"{vocabPath}: {vocabularySize} tokens, more than config.json's vocab_size = {config.VocabSize}.");
            if (options.MaxLength > config.MaxPositionEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxLength,
                    $"BertSentenceEncoderOptions.MaxLength ({options.MaxLength}) exceeds the checkpoint's max_position_embeddings " +
                    $"({config.MaxPositionEmbeddings}).");
            var maxLength = options.MaxLength
                            ?? (sentenceMaxLength is { } s ? Math.Clamp(s, 2, config.MaxPositionEmbeddings) : (int?)null)
                            ?? Math.Max(2, Math.Min(Math.Min(512, config.MaxPositionEmbeddings), modelMaxLength ?? int.MaxValue));
            return new BertSentenceEncoder(model, tokenizer, options, maxLength, pooling, device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Token ids of one text: <c>[CLS]</c>, its word pieces (truncated so the whole fits <see cref="MaxLength"/>), <c>[SEP]</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<int> TokenizeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return BertWordPiece.ToIds(Tokenizer, text, MaxLength);
    }

    /// <summary>Tokenises <paramref name="texts"/> and pads them to the longest, on <see cref="Device"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its elements is null.</exception>
    public BertTokenBatch Tokenize(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new IReadOnlyList<int>[texts.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = TokenizeToIds(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null."));
        return Pad(ids, Enumerable.Range(0, ids.Length).ToArray());
    }

    /// <summary>Pools the last hidden state <c>[batch, seq, hidden]</c> with the mask <c>[batch, seq]</c> into sentence vectors
    /// <c>[batch, hidden]</c>, by <see cref="Pooling"/>, L2-normalised when
    /// <see cref="BertSentenceEncoderOptions.Normalize"/> is set.</summary>
    public Tensor Pool(Tensor lastHiddenState, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(lastHiddenState);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        Tensor pooled;
        if (Pooling == SentencePooling.Cls)
        {
            pooled = lastHiddenState.select(1, 0);
        }
        else
        {
            var weights = attentionMask.to(lastHiddenState.dtype).unsqueeze(-1);
            pooled = (lastHiddenState * weights).sum(1) / weights.sum(1).ClampMinScalar(1e-9);
        }
        if (Options.Normalize) pooled = nn.functional.normalize(pooled, p: 2, dim: 1, eps: 1e-12);
        return pooled.contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <returns>Float32 sentence vectors <c>[texts.Count, hidden_size]</c> on <see cref="Device"/>.</returns>
    public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ids = new IReadOnlyList<int>[texts.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = TokenizeToIds(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null."));

        // Longest first: batches of similar length pad little, and a too-large batch fails on the first one.
        var order = Enumerable.Range(0, ids.Length).OrderByDescending(i => ids[i].Count).ThenBy(i => i).ToArray();
        var output = zeros([texts.Count, Dimension], ScalarType.Float32, Device);
        try
        {
            for (var start = 0; start < order.Length; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    var batch = Pad(ids, rows);
                    var hidden = Model.forward(batch.InputIds, batch.AttentionMask);
                    var pooled = Pool(hidden, batch.AttentionMask);
                    var index = tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64, Device);
                    output.index_copy_(0, index, pooled.to(ScalarType.Float32));
                }
                progress?.Report(new SemanticEncodingProgress(start + rows.Length, texts.Count));
            }
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Releases the model's weights.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Model.Dispose();
    }

    private BertTokenBatch Pad(IReadOnlyList<int>[] ids, int[] rows)
    {
        var longest = rows.Length == 0 ? 0 : rows.Max(r => ids[r].Count);
        var flat = new long[rows.Length * longest];
        var mask = new long[rows.Length * longest];
        if (Config.PadTokenId != 0) Array.Fill(flat, Config.PadTokenId);
        for (var b = 0; b < rows.Length; b++)
        {
            var sequence = ids[rows[b]];
            for (var t = 0; t < sequence.Count; t++)
            {
                flat[b * longest + t] = sequence[t];
                mask[b * longest + t] = 1;
            }
        }
        return new BertTokenBatch(tensor(flat, [rows.Length, longest], ScalarType.Int64, Device),
                                  tensor(mask, [rows.Length, longest], ScalarType.Int64, Device));
    }

    /// <summary>
    /// Reads <c>vocab.txt</c> (token id = line number) for the WordPiece tokenizer. A token listed twice maps to its last
    /// line, as in HF's <c>load_vocab</c>; its earlier lines, and empty lines, are replaced by placeholders that no text
    /// can produce, so every other token keeps its id.
    /// </summary>
    private static (bool? LowerCase, int? MaxSequenceLength) ReadSentenceTransformersConfig(string path)
    {
        using var document = ReadJson(path);
        if (document is null) return (null, null);
        var root = document.RootElement;
        bool? lower = root.TryGetProperty("do_lower_case", out var l) && l.ValueKind is JsonValueKind.True or JsonValueKind.False ? l.GetBoolean() : null;
        int? max = root.TryGetProperty("max_seq_length", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var v) && v > 0 ? v : null;
        return (lower, max);
    }

    private static SentencePooling? ReadPoolingConfig(string path)
    {
        using var document = ReadJson(path);
        if (document is null) return null;
        var root = document.RootElement;
        bool Flag(string key) => root.TryGetProperty(key, out var f) && f.ValueKind == JsonValueKind.True;
        if (Flag("pooling_mode_cls_token")) return SentencePooling.Cls;
        if (Flag("pooling_mode_mean_tokens")) return SentencePooling.Mean;
        throw new InvalidDataException($"{path}: the pooling mode is neither pooling_mode_mean_tokens nor pooling_mode_cls_token; " +
                                       "set BertSentenceEncoderOptions.Pooling explicitly to use this checkpoint.");
    }

    private static JsonDocument? ReadJson(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
    }

    private static (bool? LowerCase, int? ModelMaxLength) ReadTokenizerConfig(string path)
    {
        using var document = ReadJson(path);
        if (document is null) return (null, null);
        var root = document.RootElement;
        bool? lower = root.TryGetProperty("do_lower_case", out var l) && l.ValueKind is JsonValueKind.True or JsonValueKind.False ? l.GetBoolean() : null;
        // HF writes a huge sentinel (1e30) when the length is unbounded; TryGetInt32 rejects it.
        int? max = root.TryGetProperty("model_max_length", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var v) && v > 0 ? v : null;
        return (lower, max);
    }
}
