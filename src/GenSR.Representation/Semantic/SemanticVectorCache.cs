using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenSR.Representation;

/// <summary>
/// A file of sentence vectors keyed by the SHA-256 of their text, for one encoder (its model key) and dimension, so that a
/// rerun does not encode the same texts again. <see cref="CachedSemanticEncoder"/> reads and fills it.
/// </summary>
/// <remarks>
/// The file is little-endian: the magic <c>GSRVEC01</c>, format version 1 (int32), the model key (int32 byte length, at most
/// 4,096, then UTF-8), the dimension (int32), the entry count (int64), then per entry the 32-byte SHA-256 of the text's UTF-8
/// and <c>dimension</c> float32 values. <see cref="Open"/> checks the header and that the length is exactly what the count
/// says before reading any entry; <see cref="Save"/> writes a temporary file next to it and moves it into place, so a crash
/// never leaves a half-written cache. Not thread-safe: <see cref="CachedSemanticEncoder"/> locks around it.
/// </remarks>
public sealed class SemanticVectorCache
{
    /// <summary>The format version <see cref="Save"/> writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>The longest model key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 4096;

    private static ReadOnlySpan<byte> Magic => "GSRVEC01"u8;
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private bool _dirty;

    private SemanticVectorCache(string path, string modelKey, int dimension)
    {
        FilePath = path;
        ModelKey = modelKey;
        Dimension = dimension;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>What the vectors mean (e.g. an <c>OnnxSentenceEncoder.ModelKey</c>); a file of another key is refused.</summary>
    public string ModelKey { get; }

    /// <summary>Length of every vector.</summary>
    public int Dimension { get; }

    /// <summary>Vectors held.</summary>
    public int Count => _vectors.Count;

    /// <summary>Whether vectors were added since the file was read or saved.</summary>
    public bool HasUnsavedChanges => _dirty;

    /// <summary>Opens the cache at <paramref name="path"/>, reading it when the file exists, else starting empty (nothing is written until
    /// <see cref="Save"/>).</summary>
    /// <param name="path">The cache file.</param>
    /// <param name="modelKey">What the vectors mean; must equal the file's key.</param>
    /// <param name="dimension">Length of every vector, 1 … 65,536; must equal the file's.</param>
    /// <exception cref="InvalidDataException">The file is not a cache file, is truncated or has extra bytes, or holds
    /// vectors of another model key or dimension (the message names the file and what was expected).</exception>
    public static SemanticVectorCache Open(string path, string modelKey, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(modelKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 65_536);
        if (Encoding.UTF8.GetByteCount(modelKey) > MaxKeyBytes)
            throw new ArgumentException($"The model key is longer than {MaxKeyBytes} UTF-8 bytes.", nameof(modelKey));
        var cache = new SemanticVectorCache(Path.GetFullPath(path), modelKey, dimension);
        if (File.Exists(path)) cache.Read();
        return cache;
    }

    /// <summary>Copies the vector of <paramref name="text"/> into <paramref name="vector"/> when the cache holds it.</summary>
    /// <exception cref="ArgumentException"><paramref name="vector"/> is not <see cref="Dimension"/> long.</exception>
    public bool TryGet(string text, Span<float> vector)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (vector.Length != Dimension) throw new ArgumentException($"Expected a span of {Dimension} values; got {vector.Length}.", nameof(vector));
        if (!_vectors.TryGetValue(Key(text), out var stored)) return false;
        stored.CopyTo(vector);
        return true;
    }

    /// <summary>Stores (or replaces) the vector of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="vector"/> is not <see cref="Dimension"/> long or has a non-finite value.</exception>
    public void Set(string text, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (vector.Length != Dimension) throw new ArgumentException($"Expected {Dimension} values; got {vector.Length}.", nameof(vector));
        foreach (var v in vector)
            if (!float.IsFinite(v)) throw new ArgumentException("A cached vector must be finite.", nameof(vector));
        _vectors[Key(text)] = vector.ToArray();
        _dirty = true;
    }

    /// <summary>Writes the cache to <see cref="FilePath"/> (through a temporary file moved into place); creates the folder if needed.</summary>
    public void Save()
    {
        var folder = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var temporary = FilePath + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: false))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                var key = Encoding.UTF8.GetBytes(ModelKey);
                writer.Write(key.Length);
                writer.Write(key);
                writer.Write(Dimension);
                writer.Write((long)_vectors.Count);
                foreach (var (hash, vector) in _vectors.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.Write(Convert.FromHexString(hash));
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
                }
            }
            File.Move(temporary, FilePath, overwrite: true);
            _dirty = false;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void Read()
    {
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = stream.Length;
        Span<byte> header = stackalloc byte[16];
        Fill(stream, header, "the header");
        if (!header[..8].SequenceEqual(Magic)) throw Invalid("it does not start with GSRVEC01 (not a GenSR vector cache)");
        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version != FormatVersion) throw Invalid($"format version {version}; expected {FormatVersion}");
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (keyLength is < 0 or > MaxKeyBytes) throw Invalid($"a model key of {keyLength} bytes; expected 0 … {MaxKeyBytes}");
        var keyBytes = new byte[keyLength];
        Fill(stream, keyBytes, "the model key");
        var key = Encoding.UTF8.GetString(keyBytes);
        if (key != ModelKey) throw Invalid($"vectors of model \"{key}\"; expected \"{ModelKey}\" (use another cache file for another encoder)");
        Span<byte> counts = stackalloc byte[12];
        Fill(stream, counts, "the dimension and count");
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(counts);
        if (dimension != Dimension) throw Invalid($"{dimension}-d vectors; expected {Dimension}-d");
        var count = BinaryPrimitives.ReadInt64LittleEndian(counts[4..]);
        var entry = 32L + 4L * Dimension;
        var expected = 16L + keyLength + 12L;
        if (count < 0 || count > (length - expected) / entry || expected + count * entry != length)
            throw Invalid($"{length} bytes, but a header announcing {count} entries of {entry} bytes needs " +
                $"{(count >= 0 && count <= int.MaxValue ? expected + count * entry : -1)}");
        if (count > int.MaxValue) throw Invalid($"{count} entries; at most {int.MaxValue} are supported");

        var buffer = new byte[entry];
        for (long i = 0; i < count; i++)
        {
            Fill(stream, buffer, $"entry {i}");
            var vector = new float[Dimension];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(buffer.AsSpan(32)).CopyTo(vector);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Vector cache files are little-endian.");
            foreach (var v in vector)
                if (!float.IsFinite(v)) throw Invalid($"entry {i} has a non-finite value");
            _vectors[Convert.ToHexString(buffer, 0, 32)] = vector;
        }
    }

    private void Fill(Stream stream, Span<byte> target, string what)
    {
        try
        {
            stream.ReadExactly(target);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{FilePath}: the vector cache ends inside {what}.", e);
        }
    }

    private InvalidDataException Invalid(string problem) => new($"{FilePath}: the vector cache has {problem}.");
}
