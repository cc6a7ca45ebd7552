using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Latent semantic analysis (LSA) text encoder: TF-IDF over a word vocabulary, projected onto the leading singular
/// directions of the catalogue's TF-IDF matrix. Needs no pretrained weights and runs anywhere.
/// </summary>
/// <remarks>
/// <para><b>Weighting.</b> A text is split into lower-case words (<see cref="LsaTextEncoderOptions"/>: minimum length,
/// stop words). A vocabulary word <c>t</c> occurring <c>c</c> times gets weight <c>(1 + ln c) · idf(t)</c> (sublinear
/// term frequency), with the smoothed inverse document frequency <c>idf(t) = ln((1 + n) / (1 + df(t))) + 1</c> over the
/// <c>n</c> fitting documents (the weighting of scikit-learn's <c>TfidfVectorizer(sublinear_tf=True, smooth_idf=True)</c>);
/// the row is then L2-normalised. Words outside the vocabulary are ignored.</para>
/// <para><b>Fitting.</b> The fitting corpus gives the sparse matrix <c>X [n, V]</c> (a sparse torch tensor on the device,
/// never dense) and its truncated SVD <c>X ≈ U S Vᵀ</c> with <see cref="Dimension"/> components, computed by randomized
/// subspace iteration (Halko, Martinsson and Tropp, SIAM Review 53(2), 2011), seeded.</para>
/// <para><b>Encoding (fold-in).</b> A text with TF-IDF row <c>x [V]</c> is mapped to <c>x · V · S⁻¹</c>, the classic LSA
/// fold-in (Deerwester et al. 1990): for a fitting document this is exactly its row of <c>U</c>, so catalogue items and
/// new texts (queries, unseen items) land in the same space. The result is L2-normalised. A text with no vocabulary
/// word encodes to the zero vector. Components whose singular value is zero (a corpus with fewer documents or words
/// than <see cref="Dimension"/>) are zero in every vector.</para>
/// </remarks>
public sealed class LsaTextEncoder : ISemanticEncoder
{
    private const string FormatName = "gensr.lsa-text-encoder";
    private const string FormatVersion = "1";

    private readonly string[] _words;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly StringSpanLookup<int> _vocabularyLookup;
    private readonly float[] _idf;
    private readonly float[] _singularValues;
    private readonly Tensor _projection;
    private readonly LsaWordTokenizer _tokenizer;
    private bool _disposed;

    private LsaTextEncoder(LsaTextEncoderOptions options, string[] words, float[] idf, Tensor projection, float[] singularValues,
        int documentCount, Device device)
    {
        Options = options;
        _words = words;
        _vocabulary = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++) _vocabulary.Add(words[i], i);
        _vocabularyLookup = new StringSpanLookup<int>(_vocabulary);
        _idf = idf;
        _projection = projection;
        _singularValues = singularValues;
        _tokenizer = new LsaWordTokenizer(options.StopWords, options.MinTokenLength);
        DocumentCount = documentCount;
        Device = device;
    }

    /// <summary>The options the encoder was fitted with (<see cref="LsaTextEncoderOptions.Device"/> is the one it was created with).</summary>
    public LsaTextEncoderOptions Options { get; }

    /// <inheritdoc />
    public int Dimension => Options.Dimension;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>The vocabulary: word <c>i</c> is column <c>i</c> of the TF-IDF matrix, ordered by descending document frequency.</summary>
    public IReadOnlyList<string> Vocabulary => _words;

    /// <summary>Inverse document frequency of each vocabulary word, <c>[Vocabulary.Count]</c>.</summary>
    public IReadOnlyList<float> InverseDocumentFrequencies => _idf;

    /// <summary>Singular values of the fitting TF-IDF matrix, descending; at most <see cref="Dimension"/> of them.</summary>
    public IReadOnlyList<float> SingularValues => _singularValues;

    /// <summary>Number of documents the encoder was fitted on.</summary>
    public int DocumentCount { get; }

    /// <summary>The fold-in projection <c>V · S⁻¹</c>, <c>[Vocabulary.Count, Dimension]</c> float32 on <see cref="Device"/>
    /// (owned by the encoder).</summary>
    internal Tensor Projection => _projection;

    /// <summary>Fits the encoder on the texts of <paramref name="items"/> (fields chosen by <see cref="LsaTextEncoderOptions.Fields"/>), typically
    /// the whole catalogue.</summary>
    /// <inheritdoc cref="Fit(IReadOnlyList{string}, LsaTextEncoderOptions?, IProgress{LsaFitProgress}?, CancellationToken)"/>
    public static LsaTextEncoder Fit(IReadOnlyList<Item> items, LsaTextEncoderOptions? options = null, IProgress<LsaFitProgress>? progress = null,
                                     CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new LsaTextEncoderOptions();
        var texts = new string[items.Count];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = options.Fields.Compose(items[i] ?? throw new ArgumentException($"Item at position {i} is null.", nameof(items)));
        return Fit(texts, options, progress, cancellationToken);
    }

    /// <summary>Fits the vocabulary, the inverse document frequencies and the SVD projection on <paramref name="corpus"/>.</summary>
    /// <param name="corpus">The fitting documents (one text per item).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the stage and its progress.</param>
    /// <param name="cancellationToken">Checked between documents and between SVD passes.</param>
    /// <returns>The fitted encoder, on <see cref="LsaTextEncoderOptions.Device"/>.</returns>
    /// <exception cref="ArgumentException">The corpus is empty, holds a null text, or no word occurs in at least
    /// <see cref="LsaTextEncoderOptions.MinDocumentFrequency"/> documents.</exception>
    public static LsaTextEncoder Fit(IReadOnlyList<string> corpus, LsaTextEncoderOptions? options = null, IProgress<LsaFitProgress>? progress = null,
                                     CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new LsaTextEncoderOptions();
        if (corpus.Count == 0) throw new ArgumentException("The corpus is empty: LSA needs at least one document to fit on.", nameof(corpus));
        for (var i = 0; i < corpus.Count; i++)
            if (corpus[i] is null) throw new ArgumentException($"Document {i} of the corpus is null.", nameof(corpus));

        var device = TorchRuntime.Resolve(options.Device);
        var tokenizer = new LsaWordTokenizer(options.StopWords, options.MinTokenLength);
        var (words, documentFrequencies) = BuildVocabulary(corpus, tokenizer, options, progress, cancellationToken);
        var n = corpus.Count;
        var idf = new float[words.Length];
        for (var i = 0; i < idf.Length; i++) idf[i] = (float)(Math.Log((1.0 + n) / (1.0 + documentFrequencies[i])) + 1.0);

        var vocabulary = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++) vocabulary.Add(words[i], i);

        using var scope = NewDisposeScope();
        var rows = Weigh(tokenizer, new StringSpanLookup<int>(vocabulary), idf, corpus, 0, n, cancellationToken,
                         done => progress?.Report(new LsaFitProgress("weighting", done, n)));
        var x = rows.ToSparse(words.Length, device, transpose: false);
        var xt = rows.ToSparse(words.Length, device, transpose: true);
        var (values, vectors) = RandomizedSvd.Compute(x, xt, options.Dimension, options.Oversampling, options.PowerIterations, options.Seed,
                                                      (done, total) => progress?.Report(new LsaFitProgress("svd", done, total)), cancellationToken);

        // Fold-in projection V·S⁻¹; components at numerical zero (rank-deficient corpus) get a zero column rather than a huge one.
        var tolerance = values.numel() == 0 ? 0f : values[0].ToSingle() * Math.Max(n, words.Length) * 1.2e-7f;
        var inverse = where(values.With(tolerance, static (t, s) => t.gt(s)), values.reciprocal(), zeros_like(values));
        var projection = zeros([words.Length, options.Dimension], ScalarType.Float32, device);
        projection.narrow(1, 0, vectors.shape[1]).copy_(vectors * inverse.unsqueeze(0));
        var singular = values.cpu().data<float>().ToArray();
        return new LsaTextEncoder(options, words, idf, projection.MoveToOuterDisposeScope(), singular, n, device);
    }

    /// <summary>Loads an encoder saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file written by <see cref="Save"/>.</param>
    /// <param name="device">Device to run on; null (the default) for the first CUDA device when one is available, else the CPU.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a saved LSA encoder or is inconsistent; the message names the file and what is wrong.</exception>
    public static LsaTextEncoder Load(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved LSA encoder at \"{path}\".", path);
        var (_, metadata) = SafeTensorsFile.ReadHeader(path);
        string Meta(string key) => metadata.TryGetValue(key, out var v)
            ? v
            : throw new InvalidDataException($"{path}: metadata \"{key}\" is missing; expected a file written by LsaTextEncoder.Save.");
        if (Meta("format") != FormatName)
            throw new InvalidDataException($"{path}: metadata \"format\" is \"{Meta("format")}\", expected \"{FormatName}\".");
        if (Meta("format_version") != FormatVersion)
            throw new InvalidDataException($"{path}: format version {Meta("format_version")} is not supported (expected {FormatVersion}).");

        string[] words;
        string[] stopWords;
        LsaTextEncoderOptions options;
        int documentCount;
        try
        {
            words = JsonSerializer.Deserialize<string[]>(Meta("vocabulary")) ?? throw new InvalidDataException("null vocabulary");
            stopWords = JsonSerializer.Deserialize<string[]>(Meta("stop_words")) ?? throw new InvalidDataException("null stop words");
            options = new LsaTextEncoderOptions
            {
                Dimension = ParseInt(Meta("dimension")),
                MinDocumentFrequency = ParseInt(Meta("min_document_frequency")),
                MaxDocumentFrequencyRatio = double.Parse(Meta("max_document_frequency_ratio"), CultureInfo.InvariantCulture),
                MaxVocabularySize = ParseInt(Meta("max_vocabulary_size")),
                MinTokenLength = ParseInt(Meta("min_token_length")),
                StopWords = stopWords,
                Oversampling = ParseInt(Meta("oversampling")),
                PowerIterations = ParseInt(Meta("power_iterations")),
                Seed = long.Parse(Meta("seed"), CultureInfo.InvariantCulture),
                Fields = Enum.Parse<ItemTextFields>(Meta("fields")),
                BatchSize = ParseInt(Meta("batch_size")),
                Device = device,
            };
            documentCount = ParseInt(Meta("document_count"));
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: the encoder metadata is malformed ({e.Message}).", e);
        }

        var resolved = TorchRuntime.Resolve(device);
        var tensors = SafeTensorsFile.Load(path);
        try
        {
            var idf = Expect(tensors, "idf", [words.Length], path);
            var projection = Expect(tensors, "projection", [words.Length, options.Dimension], path);
            var singular = tensors.TryGetValue("singular_values", out var s) && s.dim() == 1 && s.dtype == ScalarType.Float32 && s.shape[0] <= options.Dimension
                ? s.data<float>().ToArray()
                : throw new InvalidDataException($"{path}: tensor \"singular_values\" is missing or is not float32 [at most {options.Dimension}].");
            var encoder = new LsaTextEncoder(options, words, idf.data<float>().ToArray(), projection.to(resolved), singular, documentCount, resolved);
            if (encoder._vocabulary.Count != words.Length)
            {
                encoder.Dispose();
                throw new InvalidDataException($"{path}: the vocabulary repeats a word.");
            }
            return encoder;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Saves vocabulary, inverse document frequencies, projection, singular values and options to one safetensors file
    /// (tensors <c>idf</c>, <c>projection</c>, <c>singular_values</c>; the rest as metadata), written to a temporary
    /// file and renamed. <see cref="Load"/> restores an encoder whose vectors are bit-for-bit the same.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The encoder is disposed.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var idf = tensor(_idf, [_idf.Length], ScalarType.Float32);
        using var singular = tensor(_singularValues, [_singularValues.Length], ScalarType.Float32);
        var o = Options;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["vocabulary"] = JsonSerializer.Serialize(_words),
            ["stop_words"] = JsonSerializer.Serialize(_tokenizer.StopWords.Order(StringComparer.Ordinal).ToArray()),
            ["dimension"] = Invariant(o.Dimension),
            ["min_document_frequency"] = Invariant(o.MinDocumentFrequency),
            ["max_document_frequency_ratio"] = o.MaxDocumentFrequencyRatio.ToString("R", CultureInfo.InvariantCulture),
            ["max_vocabulary_size"] = Invariant(o.MaxVocabularySize),
            ["min_token_length"] = Invariant(o.MinTokenLength),
            ["oversampling"] = Invariant(o.Oversampling),
            ["power_iterations"] = Invariant(o.PowerIterations),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["fields"] = o.Fields.ToString(),
            ["batch_size"] = Invariant(o.BatchSize),
            ["document_count"] = Invariant(DocumentCount),
        };
        SafeTensorsFile.Save(path, [new("idf", idf), new("projection", _projection), new("singular_values", singular)], metadata);
    }

    /// <summary>Splits <paramref name="text"/> into the words this encoder counts (before the vocabulary filter).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Split(text);
    }

    /// <inheritdoc />
    /// <returns>L2-normalised float32 vectors <c>[texts.Count, Dimension]</c> on <see cref="Device"/>; zero rows for texts without a vocabulary word.</returns>
    public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < texts.Count; i++)
            if (texts[i] is null) throw new ArgumentNullException(nameof(texts), $"Text {i} is null.");

        var output = zeros([texts.Count, Dimension], ScalarType.Float32, Device);
        try
        {
            for (var start = 0; start < texts.Count; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(Options.BatchSize, texts.Count - start);
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    var rows = Weigh(_tokenizer, _vocabularyLookup, _idf, texts, start, count, cancellationToken, null);
                    var x = rows.ToSparse(_words.Length, Device, transpose: false);
                    var projected = x.mm(_projection);
                    output.narrow(0, start, count).copy_(nn.functional.normalize(projected, p: 2, dim: 1, eps: 1e-12));
                }
                progress?.Report(new SemanticEncodingProgress(start + count, texts.Count));
            }
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Releases the projection tensor.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _projection.Dispose();
    }

    private static (string[] Words, int[] DocumentFrequencies) BuildVocabulary(IReadOnlyList<string> corpus, LsaWordTokenizer tokenizer,
        LsaTextEncoderOptions options, IProgress<LsaFitProgress>? progress, CancellationToken cancellationToken)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = new StringSpanLookup<int>(df);
        var inDocument = new HashSet<string>(ReferenceEqualityComparer.Instance);
        var reportEvery = Math.Max(1, corpus.Count / 100);
        for (var d = 0; d < corpus.Count; d++)
        {
            if (d % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            inDocument.Clear();
            var words = tokenizer.Words(corpus[d]);
            while (words.MoveNext())
            {
                if (!lookup.TryGetKey(words.Current, out var key))
                {
                    key = words.Current.ToString();
                    df.Add(key, 0);
                }
                if (inDocument.Add(key)) CollectionsMarshal.GetValueRefOrNullRef(df, key)++;
            }
            if ((d + 1) % reportEvery == 0 || d + 1 == corpus.Count) progress?.Report(new LsaFitProgress("vocabulary", d + 1, corpus.Count));
        }

        // scikit-learn's convention: a fractional max_df keeps words with df ≤ ratio · n.
        var maxCount = options.MaxDocumentFrequencyRatio >= 1 ? int.MaxValue : (int)Math.Floor(options.MaxDocumentFrequencyRatio * corpus.Count);
        var kept = df.Where(kv => kv.Value >= options.MinDocumentFrequency && kv.Value <= maxCount)
                     .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                     .Take(options.MaxVocabularySize)
                     .ToArray();
        if (kept.Length == 0)
            throw new ArgumentException(
                $"No word of the corpus ({corpus.Count} documents, {df.Count} distinct words) occurs in at least MinDocumentFrequency = " +
                $"{options.MinDocumentFrequency} documents and at most MaxDocumentFrequencyRatio = {options.MaxDocumentFrequencyRatio} of them; " +
                "lower MinDocumentFrequency or fit on more documents.", nameof(corpus));
        return (kept.Select(kv => kv.Key).ToArray(), kept.Select(kv => kv.Value).ToArray());
    }

    /// <summary>TF-IDF rows (sublinear tf, smoothed idf, L2-normalised) of <c>texts[start .. start + count)</c> as COO triplets.</summary>
    private static SparseRows Weigh(LsaWordTokenizer tokenizer, StringSpanLookup<int> vocabulary, float[] idf,
                                    IReadOnlyList<string> texts, int start, int count, CancellationToken cancellationToken, Action<int>? onProgress)
    {
        var rowIndex = new List<long>(count * 8);
        var columnIndex = new List<long>(count * 8);
        var values = new List<float>(count * 8);
        var counts = new Dictionary<int, int>();
        var weights = new List<(int Column, double Weight)>();
        var reportEvery = Math.Max(1, count / 100);
        for (var r = 0; r < count; r++)
        {
            if (r % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            counts.Clear();
            var words = tokenizer.Words(texts[start + r]);
            while (words.MoveNext())
                if (vocabulary.TryGetValue(words.Current, out var id))
                    CollectionsMarshal.GetValueRefOrAddDefault(counts, id, out _)++;

            weights.Clear();
            var squared = 0.0;
            foreach (var (id, c) in counts)
            {
                var w = (1.0 + Math.Log(c)) * idf[id];
                weights.Add((id, w));
                squared += w * w;
            }
            if (squared > 0)
            {
                weights.Sort((a, b) => a.Column.CompareTo(b.Column));
                var norm = Math.Sqrt(squared);
                foreach (var (column, w) in weights)
                {
                    rowIndex.Add(r);
                    columnIndex.Add(column);
                    values.Add((float)(w / norm));
                }
            }
            if (onProgress is not null && ((r + 1) % reportEvery == 0 || r + 1 == count)) onProgress(r + 1);
        }
        return new SparseRows(rowIndex.ToArray(), columnIndex.ToArray(), values.ToArray(), count);
    }

    private static Tensor Expect(Dictionary<string, Tensor> tensors, string name, long[] shape, string path) =>
        tensors.TryGetValue(name, out var t) && t.dtype == ScalarType.Float32 && t.shape.SequenceEqual(shape)
            ? t
            : throw new InvalidDataException($"{path}: tensor \"{name}\" is missing or is not float32 [{string.Join(", ", shape)}]" +
                                             (t is null ? "." : $" (found {t.dtype} [{string.Join(", ", t.shape)}])."));

    private static int ParseInt(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>COO triplets of a block of TF-IDF rows.</summary>
    private sealed record SparseRows(long[] Rows, long[] Columns, float[] Values, int RowCount)
    {
        /// <summary>The rows as a sparse COO float32 tensor <c>[RowCount, columns]</c> (or its transpose) on <paramref name="device"/>.
        /// Entries are unique, so products with it need no coalescing.</summary>
        public Tensor ToSparse(int columns, Device device, bool transpose)
        {
            var nnz = Values.Length;
            var indices = new long[2 * nnz];
            Array.Copy(transpose ? Columns : Rows, 0, indices, 0, nnz);
            Array.Copy(transpose ? Rows : Columns, 0, indices, nnz, nnz);
            using var index = tensor(indices, [2, nnz], ScalarType.Int64);
            using var value = tensor(Values, [nnz], ScalarType.Float32);
            long[] size = transpose ? [columns, RowCount] : [RowCount, columns];
            using var cpu = sparse_coo_tensor(index, value, size);
            return cpu.to(device);
        }
    }
}
