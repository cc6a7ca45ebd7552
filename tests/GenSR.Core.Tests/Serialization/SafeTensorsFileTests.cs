using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core.Tests.Serialization;

public class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gensr-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Round_trips_every_supported_dtype_exactly()
    {
        var path = Path.Combine(_dir, "w.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.f32"] = randn(3, 4),
            ["b.f64"] = randn(2, dtype: ScalarType.Float64),
            ["c.bf16"] = randn(5, dtype: ScalarType.BFloat16),
            ["d.f16"] = randn(2, 2, dtype: ScalarType.Float16),
            ["e.i64"] = arange(7, dtype: ScalarType.Int64),
            ["f.i32"] = arange(3, dtype: ScalarType.Int32),
            ["g.u8"] = arange(4, dtype: ScalarType.Byte),
            ["h.bool"] = tensor(new[] { true, false, true }),
            ["i.empty"] = zeros(0, 3),
            ["j.scalar"] = tensor(2.5f),
        };
        SafeTensorsFile.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var back = SafeTensorsFile.Load(path);
        Assert.Equal(tensors.Keys.OrderBy(k => k), back.Keys.OrderBy(k => k));
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.dtype, back[k].dtype);
            Assert.Equal(v.shape, back[k].shape);
            Assert.True(v.equal(back[k]).all().item<bool>(), k);
        }
        var (entries, meta) = SafeTensorsFile.ReadHeader(path);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal("BF16", entries.Single(e => e.Name == "c.bf16").DType);
        Assert.False(File.Exists(path + ".tmp-" + Environment.ProcessId));
    }

    [Fact]
    public void Header_is_padded_so_data_is_aligned()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = ones(3) });
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (long)headerLength + 12, bytes.Length);
    }

    /// <summary>A file with the given header JSON (padded) and data bytes, as an attacker could write it.</summary>
    private string Crafted(string header, int dataBytes)
    {
        var path = Path.Combine(_dir, $"crafted-{Guid.NewGuid():N}.safetensors");
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        var padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + dataBytes];
        BitConverter.GetBytes((ulong)padded).CopyTo(bytes, 0);
        json.CopyTo(bytes, 8);
        for (var i = json.Length; i < padded; i++) bytes[8 + i] = (byte)' ';
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8, "outside")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "outside")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "non-negative")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8, "overflows")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,8]}}", 8, "expected")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_ofsets\":[0,8]}}", 8, "malformed")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "twice")]
    public void Crafted_headers_are_refused_before_anything_is_allocated(string header, int dataBytes, string expected)
    {
        var path = Crafted(header, dataBytes);
        var load = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path));
        Assert.Contains(path, load.Message);
        Assert.Contains(expected, load.Message);
        Assert.Throws<InvalidDataException>(() => SafeTensorsFile.ReadHeader(path));
    }

    [Fact]
    public void Truncated_and_malformed_files_name_the_file_and_tensor()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["layer.weight"] = ones(16) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("layer.weight", ex.Message);

        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path)).Message);

        var header = System.Text.Encoding.UTF8.GetBytes("{\"w\": {\"dtype\": \"Q9\", \"shape\": [1], \"data_offsets\": [0, 4]}}");
        File.WriteAllBytes(path, BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(new byte[4]).ToArray());
        Assert.Contains("unsupported dtype \"Q9\"", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path)).Message);
    }

    [Fact]
    public void An_existing_file_survives_a_failed_save()
    {
        var path = Path.Combine(_dir, "keep.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = ones(2) });
        var before = File.ReadAllBytes(path);
        // complex64 cannot be stored: the save fails before anything replaces the file.
        Assert.Throws<NotSupportedException>(() => SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["z"] = zeros(2, dtype: ScalarType.ComplexFloat32) }));
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
