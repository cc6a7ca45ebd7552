using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>
/// Reads and writes the safetensors format (8-byte little-endian header length, JSON header, raw
/// little-endian tensor data), the format HF transformers and PyTorch use for weights.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Describes one tensor in a file without loading it.</summary>
    /// <param name="Name">Tensor name.</param>
    /// <param name="DType">safetensors dtype string (<c>F32</c>, <c>BF16</c>, <c>I64</c>, …).</param>
    /// <param name="Shape">Shape.</param>
    public sealed record Entry(string Name, string DType, long[] Shape);

    /// <summary>Reads the header: every tensor's name, dtype and shape, and the free-form metadata.</summary>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        using var fs = File.OpenRead(path);
        var (header, _) = ReadHeaderCore(fs, path);
        return (header.Select(h => new Entry(h.Name, h.DType, h.Shape)).ToList(), ReadMetadata(fs, path));
    }

    /// <summary>Loads every tensor of the file onto <paramref name="device"/> (CPU when null).</summary>
    /// <exception cref="InvalidDataException">The file is truncated or its header is malformed; the message names the file and the tensor.</exception>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null)
    {
        using var fs = File.OpenRead(path);
        var (entries, dataStart) = ReadHeaderCore(fs, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var e in entries)
            {
                if (e.End - e.Begin > Array.MaxLength)
                    throw new InvalidDataException(
                        $"{path}: tensor \"{e.Name}\" has {e.End - e.Begin} bytes; at most {Array.MaxLength} per tensor are supported.");
                var length = (int)(e.End - e.Begin);
                var buffer = new byte[length];
                fs.Seek(dataStart + e.Begin, SeekOrigin.Begin);
                fs.ReadExactly(buffer);
                var t = empty(e.Shape, ToScalarType(e.DType, path, e.Name));
                if (length > 0) t.bytes = buffer;
                result[e.Name] = device is null || device.type == DeviceType.CPU ? t : MoveAndDispose(t, device);
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static Tensor MoveAndDispose(Tensor t, Device device)
    {
        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    /// <summary>
    /// Writes tensors (moved to the CPU, made contiguous) to <paramref name="path"/>: first to a temporary file
    /// beside it, then renamed, so an interrupted save never leaves a half-written file at <paramref name="path"/>.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var kv in metadata) meta[kv.Key] = kv.Value;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        var blobs = new List<byte[]>(list.Count);
        foreach (var (name, tensor) in list)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            var bytes = cpu.numel() == 0 ? Array.Empty<byte>() : cpu.bytes.ToArray();
            blobs.Add(bytes);
            header[name] = new JsonObject
            {
                ["dtype"] = ToDType(cpu.dtype, name),
                ["shape"] = new JsonArray(cpu.shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces so tensor data starts 8-byte aligned (as the reference writer does).
        var padded = (headerBytes.Length + 7) / 8 * 8;
        var tmp = path + ".tmp-" + Environment.ProcessId;
        using (var fs = File.Create(tmp))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            fs.Write(len);
            fs.Write(headerBytes);
            for (var i = headerBytes.Length; i < padded; i++) fs.WriteByte((byte)' ');
            foreach (var b in blobs) fs.Write(b);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private sealed record HeaderEntry(string Name, string DType, long[] Shape, long Begin, long End);

    private static (List<HeaderEntry> Entries, long DataStart) ReadHeaderCore(FileStream fs, string path)
    {
        Span<byte> len = stackalloc byte[8];
        if (fs.Read(len) != 8) throw new InvalidDataException($"{path}: too short to be a safetensors file (needs an 8-byte header length).");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > (ulong)Math.Max(0, fs.Length - 8) || headerLength > 100_000_000)
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size {fs.Length} (not a safetensors file, or truncated).");
        var buf = new byte[headerLength];
        fs.ReadExactly(buf);
        // The format requires a UTF-8 header; checked here because the JSON reader reports invalid UTF-8 in a name lazily,
        // as a bare InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(buf))
            throw new InvalidDataException($"{path}: the header is not valid UTF-8 (not a safetensors file, or damaged).");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(buf) as JsonObject ?? throw new InvalidDataException($"{path}: the header is not a JSON object.");
            _ = header.Count; // materialises the properties, where a repeated key is found
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message}).", e); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: the header names a tensor twice ({e.Message}).", e); }
        var dataLength = fs.Length - 8 - (long)headerLength;
        var entries = new List<HeaderEntry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            try
            {
                var o = (JsonObject)node!;
                var dtype = (string)o["dtype"]!;
                var shape = ((JsonArray)o["shape"]!).Select(x => x!.GetValue<long>()).ToArray();
                var offs = ((JsonArray)o["data_offsets"]!).Select(x => x!.GetValue<long>()).ToArray();
                if (offs.Length != 2) throw new InvalidDataException("bad data_offsets");
                entries.Add(new HeaderEntry(name, dtype, shape, offs[0], offs[1]));
            }
            catch (Exception e) when (e is InvalidCastException or NullReferenceException or ArgumentNullException or FormatException
                or InvalidOperationException or InvalidDataException)
            {
                throw new InvalidDataException(
                    $"{path}: header entry \"{name}\" is malformed; expected {{\"dtype\": str, \"shape\": [int], \"data_offsets\": [begin, end]}}.", e);
            }
        }

        // Every tensor's bytes must match its dtype and shape and lie inside the data section, the tensors one after
        // another without overlap (the layout safetensors writes), before anything is allocated for them.
        foreach (var e in entries)
        {
            if (e.Shape.Length > 16 || e.Shape.Any(d => d < 0))
                throw new InvalidDataException($"{path}: tensor \"{e.Name}\" has shape {FormatShape(e.Shape)}; expected at most 16 non-negative dimensions.");
            long count;
            try { count = e.Shape.Aggregate(1L, (a, b) => checked(a * b)); }
            catch (OverflowException)
            {
                throw new InvalidDataException($"{path}: tensor \"{e.Name}\" has shape {FormatShape(e.Shape)}, whose size overflows.");
            }
            if (e.Begin < 0 || e.End < e.Begin || e.End > dataLength)
                throw new InvalidDataException($"{path}: tensor \"{e.Name}\" has data_offsets [{e.Begin}, {e.End}] outside the {dataLength}-byte data " +
                    "section (damaged, or not written by safetensors).");
            var size = ElementSize(e.DType, path, e.Name);
            if (count > (e.End - e.Begin) / size || count * size != e.End - e.Begin)
                throw new InvalidDataException($"{path}: tensor \"{e.Name}\" has {e.End - e.Begin} bytes, expected " +
                    $"{(count <= long.MaxValue / size ? count * size : -1)} for {e.DType}{FormatShape(e.Shape)}.");
        }
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].Begin < ordered[i - 1].End)
                throw new InvalidDataException($"{path}: tensors \"{ordered[i - 1].Name}\" and \"{ordered[i].Name}\" overlap (data_offsets " +
                    $"[{ordered[i - 1].Begin}, {ordered[i - 1].End}] and [{ordered[i].Begin}, {ordered[i].End}]).");
        return (entries, 8 + (long)headerLength);
    }

    private static IReadOnlyDictionary<string, string> ReadMetadata(FileStream fs, string path)
    {
        fs.Seek(0, SeekOrigin.Begin);
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        var buf = new byte[BinaryPrimitives.ReadUInt64LittleEndian(len)];
        fs.ReadExactly(buf);
        var result = new Dictionary<string, string>();
        if (JsonNode.Parse(buf) is JsonObject { } h && h["__metadata__"] is JsonObject meta)
            foreach (var (k, v) in meta) result[k] = v?.ToString() ?? "";
        return result;
    }

    private static string FormatShape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static long ElementSize(string dtype, string path, string name) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" or "I16" => 2,
        "U8" or "I8" or "BOOL" => 1,
        _ => throw new InvalidDataException(
            $"{path}: tensor \"{name}\" has unsupported dtype \"{dtype}\" (expected F64, F32, F16, BF16, I64, I32, I16, I8, U8 or BOOL)."),
    };

    private static ScalarType ToScalarType(string dtype, string path, string name) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor \"{name}\" has unsupported dtype \"{dtype}\"."),
    };

    private static string ToDType(ScalarType t, string name) => t switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"Tensor \"{name}\" has dtype {t}, which safetensors cannot store."),
    };

    /// <summary>The safetensors dtype string of a torch scalar type (e.g. <c>F32</c>).</summary>
    public static string DTypeName(ScalarType t) => ToDType(t, "tensor");
}
