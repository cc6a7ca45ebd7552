using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Wraps an <see cref="ISemanticEncoder"/> with a <see cref="SemanticVectorCache"/> file: texts whose vectors the file holds
/// are not encoded again, new ones are encoded once (duplicates within a call too) and the file is saved after each call that
/// added vectors. The vectors are those the inner encoder gives, so results equal the uncached encoder's.
/// </summary>
public sealed class CachedSemanticEncoder : ISemanticEncoder
{
    private readonly object _gate = new();
    private readonly bool _ownsInner;
    private bool _disposed;

    /// <summary>Creates the wrapper, opening (or starting) the cache file.</summary>
    /// <param name="inner">The encoder that computes vectors the cache lacks.</param>
    /// <param name="cachePath">The cache file.</param>
    /// <param name="modelKey">What the inner encoder's vectors mean (model, pooling, prefix…); a file of another key is refused.</param>
    /// <param name="ownsInner">Whether <see cref="Dispose"/> disposes <paramref name="inner"/>. Default true.</param>
    /// <exception cref="InvalidDataException">The cache file exists but is not a valid cache of this key and dimension.</exception>
    public CachedSemanticEncoder(ISemanticEncoder inner, string cachePath, string modelKey, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        Cache = SemanticVectorCache.Open(cachePath, modelKey, inner.Dimension);
        _ownsInner = ownsInner;
    }

    /// <summary>The wrapped encoder.</summary>
    public ISemanticEncoder Inner { get; }

    /// <summary>The cache.</summary>
    public SemanticVectorCache Cache { get; }

    /// <summary>Texts answered from the cache, over the wrapper's life.</summary>
    public long Hits { get; private set; }

    /// <summary>Distinct texts the inner encoder computed, over the wrapper's life.</summary>
    public long Computed { get; private set; }

    /// <inheritdoc />
    public int Dimension => Inner.Dimension;

    /// <inheritdoc />
    public Device Device => Inner.Device;

    /// <inheritdoc />
    public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var d = Dimension;
        var output = new float[(long)texts.Count * d];
        var missing = new List<string>();
        var missingIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rowsOfMissing = new List<(int Row, int Missing)>();
        lock (_gate)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null.");
                if (Cache.TryGet(text, output.AsSpan(i * d, d)))
                {
                    Hits++;
                    continue;
                }
                if (!missingIndex.TryGetValue(text, out var m))
                {
                    m = missing.Count;
                    missingIndex[text] = m;
                    missing.Add(text);
                }
                rowsOfMissing.Add((i, m));
            }
        }

        var hits = texts.Count - rowsOfMissing.Count;
        progress?.Report(new SemanticEncodingProgress(hits, texts.Count));
        if (missing.Count > 0)
        {
            var inner = progress is null ? null : new Progress(progress, hits, texts.Count, missing.Count, rowsOfMissing.Count);
            float[] computed;
            using (var vectors = Inner.Encode(missing, inner, cancellationToken))
            using (var cpu = vectors.to(ScalarType.Float32).cpu().contiguous())
                computed = cpu.data<float>().ToArray();
            lock (_gate)
            {
                for (var m = 0; m < missing.Count; m++) Cache.Set(missing[m], computed.AsSpan(m * d, d));
                Computed += missing.Count;
                Cache.Save();
            }
            foreach (var (row, m) in rowsOfMissing) computed.AsSpan(m * d, d).CopyTo(output.AsSpan(row * d, d));
        }

        var result = tensor(output, [texts.Count, d], ScalarType.Float32);
        if (Device.type == DeviceType.CPU) return result;
        using (result) return result.to(Device);
    }

    /// <summary>Disposes the inner encoder when the wrapper owns it. Vectors are saved by each <see cref="Encode"/> already.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ownsInner) Inner.Dispose();
    }

    /// <summary>Turns the inner encoder's progress over the distinct missing texts into progress over the whole request.</summary>
    private sealed class Progress(IProgress<SemanticEncodingProgress> target, int hits, int total, int distinct, int missingRows)
        : IProgress<SemanticEncodingProgress>
    {
        public void Report(SemanticEncodingProgress value) =>
            target.Report(new SemanticEncodingProgress(hits + (int)((long)value.Encoded * missingRows / Math.Max(1, distinct)), total));
    }
}
