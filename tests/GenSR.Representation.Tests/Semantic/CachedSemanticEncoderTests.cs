using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation.Tests.Semantic;

public sealed class CachedSemanticEncoderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gensr-vector-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A deterministic 3-d encoder that counts the texts it is asked to encode.</summary>
    private sealed class CountingEncoder : ISemanticEncoder
    {
        public List<string> Seen { get; } = [];
        public bool Disposed { get; private set; }
        public int Dimension => 3;
        public Device Device => CPU;

        public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Seen.AddRange(texts);
            var values = texts.SelectMany(t => new[] { t.Length, t.Count(c => c == 'a'), t.GetHashCode(StringComparison.Ordinal) % 97 / 97f }).ToArray();
            progress?.Report(new SemanticEncodingProgress(texts.Count, texts.Count));
            return tensor(values, [texts.Count, 3]);
        }

        public void Dispose() => Disposed = true;
    }

    private static float[] Values(Tensor t)
    {
        using (t) return t.data<float>().ToArray();
    }

    [Fact]
    public void EncodesEachNewTextOnceAndGivesTheInnerVectors()
    {
        var path = Path.Combine(_folder, "vectors.bin");
        var inner = new CountingEncoder();
        using var cached = new CachedSemanticEncoder(inner, path, "counting v1");
        string[] texts = ["banana", "apple", "banana", "", "cherry"];
        var first = Values(cached.Encode(texts));
        Assert.Equal(["banana", "apple", "", "cherry"], inner.Seen);
        Assert.Equal(Values(new CountingEncoder().Encode(texts)), first);
        Assert.Equal(4, cached.Computed);
        Assert.True(File.Exists(path));

        var second = Values(cached.Encode(["cherry", "apple", "date"]));
        Assert.Equal(["banana", "apple", "", "cherry", "date"], inner.Seen);
        Assert.Equal(Values(new CountingEncoder().Encode(["cherry", "apple", "date"])), second);
        Assert.Equal(2, cached.Hits); // the repeated "banana" of the first call is computed once (no hit); two hits in the second
        Assert.Equal(5, cached.Computed);
    }

    [Fact]
    public void ARerunReadsTheFileInsteadOfEncoding()
    {
        var path = Path.Combine(_folder, "vectors.bin");
        string[] texts = ["alpha", "beta", "gamma"];
        float[] expected;
        using (var cached = new CachedSemanticEncoder(new CountingEncoder(), path, "counting v1"))
            expected = Values(cached.Encode(texts));

        var inner = new CountingEncoder();
        using var rerun = new CachedSemanticEncoder(inner, path, "counting v1");
        Assert.Equal(3, rerun.Cache.Count);
        var reports = new List<SemanticEncodingProgress>();
        Assert.Equal(expected, Values(rerun.Encode(texts, new SynchronousProgress<SemanticEncodingProgress>(reports.Add))));
        Assert.Empty(inner.Seen);
        Assert.Equal(new SemanticEncodingProgress(3, 3), reports[^1]);
    }

    [Fact]
    public void AFileOfAnotherModelOrDimensionIsRefused()
    {
        var path = Path.Combine(_folder, "vectors.bin");
        using (var cached = new CachedSemanticEncoder(new CountingEncoder(), path, "counting v1"))
            Values(cached.Encode(["alpha"]));
        var other = Assert.Throws<InvalidDataException>(() => new CachedSemanticEncoder(new CountingEncoder(), path, "counting v2"));
        Assert.Contains(path, other.Message);
        Assert.Contains("counting v1", other.Message);
        var wide = Assert.Throws<InvalidDataException>(() => SemanticVectorCache.Open(path, "counting v1", 4));
        Assert.Contains("3-d", wide.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("extra")]
    [InlineData("magic")]
    [InlineData("count")]
    [InlineData("nan")]
    public void DamagedFilesAreRefusedWithTheFileNamed(string damage)
    {
        var path = Path.Combine(_folder, "vectors.bin");
        var cache = SemanticVectorCache.Open(path, "key", 2);
        cache.Set("a", [1f, 2f]);
        cache.Set("b", [3f, 4f]);
        cache.Save();
        var bytes = File.ReadAllBytes(path).ToList();
        var countOffset = 8 + 4 + 4 + 3 + 4;
        switch (damage)
        {
            case "truncated": bytes.RemoveRange(bytes.Count - 3, 3); break;
            case "extra": bytes.Add(0); break;
            case "magic": bytes[0] = (byte)'X'; break;
            case "count": for (var i = 0; i < 8; i++) bytes[countOffset + i] = BitConverter.GetBytes(long.MaxValue / 2)[i]; break;
            case "nan": for (var i = 0; i < 4; i++) bytes[^(4 - i)] = BitConverter.GetBytes(float.NaN)[i]; break;
        }
        File.WriteAllBytes(path, bytes.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => SemanticVectorCache.Open(path, "key", 2));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void SetValidatesAndSaveLeavesNoTemporaryFiles()
    {
        var path = Path.Combine(_folder, "sub", "vectors.bin");
        var cache = SemanticVectorCache.Open(path, "key", 2);
        Assert.Throws<ArgumentException>(() => cache.Set("a", [1f]));
        Assert.Throws<ArgumentException>(() => cache.Set("a", [1f, float.PositiveInfinity]));
        cache.Set("a", [1f, 2f]);
        Assert.True(cache.HasUnsavedChanges);
        cache.Save();
        Assert.False(cache.HasUnsavedChanges);
        Assert.Equal(["vectors.bin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        var back = SemanticVectorCache.Open(path, "key", 2);
        var vector = new float[2];
        Assert.True(back.TryGet("a", vector));
        Assert.Equal([1f, 2f], vector);
        Assert.False(back.TryGet("b", vector));
    }

    [Fact]
    public void DisposingTheWrapperDisposesTheInnerEncoderOnlyWhenOwned()
    {
        var owned = new CountingEncoder();
        new CachedSemanticEncoder(owned, Path.Combine(_folder, "a.bin"), "k").Dispose();
        Assert.True(owned.Disposed);
        var borrowed = new CountingEncoder();
        new CachedSemanticEncoder(borrowed, Path.Combine(_folder, "b.bin"), "k", ownsInner: false).Dispose();
        Assert.False(borrowed.Disposed);
    }
}
