using System.Security.Cryptography;
using System.Text.Json;
using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Saves and loads item vectors, optionally together with the <see cref="IdentifierTable"/> built from them, as a
/// file pair: <c>&lt;path&gt;.safetensors</c> (tensor <c>item_embeddings</c>, F32 <c>[items, dimension]</c>, loadable by
/// PyTorch) and <c>&lt;path&gt;.json</c> (manifest: source, label, shape, SHA-256 of the tensor file, identifier table).
/// Each file is written to a temporary file and renamed; the manifest goes last and pins the tensor file's hash, so a
/// pair from two different saves is detected on load.
/// </summary>
public static class ItemEmbeddingsFile
{
    /// <summary>Version of the manifest format.</summary>
    public const int FormatVersion = 1;

    /// <summary>Name of the tensor inside the safetensors file.</summary>
    public const string TensorName = "item_embeddings";

    private const string FormatName = "gensr-item-embeddings";

    /// <summary>The manifest path of a file pair (<c>&lt;path&gt;.json</c>); <paramref name="path"/> may already end in <c>.json</c> or
    /// <c>.safetensors</c>.</summary>
    public static string ManifestPath(string path) => BasePath(path) + ".json";

    /// <summary>The tensor file path of a file pair (<c>&lt;path&gt;.safetensors</c>).</summary>
    public static string TensorPath(string path) => BasePath(path) + ".safetensors";

    /// <summary>Writes the vectors (and optionally their identifier table) as a file pair.</summary>
    /// <param name="path">Base path; <c>.safetensors</c> and <c>.json</c> are appended (a given extension of either kind is replaced).</param>
    /// <param name="embeddings">The vectors.</param>
    /// <param name="identifiers">The identifier table built from them, or <c>null</c>; must cover the same number of items.</param>
    /// <exception cref="ArgumentException">The identifier table's item count differs from the vectors'.</exception>
    public static void Save(string path, ItemEmbeddings embeddings, IdentifierTable? identifiers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (identifiers is not null && identifiers.ItemCount != embeddings.ItemCount)
            throw new ArgumentException($"The identifier table covers {identifiers.ItemCount} items but the embeddings cover {embeddings.ItemCount}.",
                nameof(identifiers));

        var tensorPath = TensorPath(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(tensorPath));
        if (directory is not null) Directory.CreateDirectory(directory);
        using (var tensor = embeddings.ToTensor())
            SafeTensorsFile.Save(tensorPath, new[] { KeyValuePair.Create(TensorName, tensor) }, new Dictionary<string, string> { ["format"] = FormatName });

        var manifest = new ItemEmbeddingsManifestDto
        {
            Format = FormatName,
            Version = FormatVersion,
            Source = embeddings.Source.ToString(),
            Label = embeddings.Label,
            ItemCount = embeddings.ItemCount,
            Dimension = embeddings.Dimension,
            TensorFile = Path.GetFileName(tensorPath),
            TensorSha256 = Sha256(tensorPath),
            Identifiers = identifiers?.ToJson(),
        };

        var manifestPath = ManifestPath(path);
        var tmp = manifestPath + ".tmp-" + Environment.ProcessId;
        using (var fs = File.Create(tmp))
        {
            using (var writer = new Utf8JsonWriter(fs)) JsonSerializer.Serialize(writer, manifest, EmbeddingsJsonContext.Default.ItemEmbeddingsManifestDto);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, manifestPath, overwrite: true);
    }

    /// <summary>Reads a file pair written by <see cref="Save"/>.</summary>
    /// <param name="path">Base path, or the path of either file of the pair.</param>
    /// <exception cref="FileNotFoundException">A file of the pair does not exist.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or of another version, the tensor file does not match the manifest
    /// (hash, name, dtype or shape), or the identifier table is invalid; the message names the file and what is wrong.</exception>
    public static StoredItemEmbeddings Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var manifestPath = ManifestPath(path);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"Embedding manifest not found: {manifestPath}.", manifestPath);

        ReadOnlyMemory<byte> utf8;
        using (var fs = File.OpenRead(manifestPath)) utf8 = TypedJson.ReadAll(fs);
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        var header = TypedJson.ReadHeader(utf8.Span, manifestPath);
        if (header.FormatName != FormatName)
            throw new InvalidDataException($"{manifestPath}: expected \"format\": \"{FormatName}\".");
        var version = header.VersionNumber
            ?? throw new InvalidDataException(header.Version is null
                ? $"{manifestPath}: \"version\" is missing."
                : $"{manifestPath}: \"version\" must be an integer.");
        if (version != FormatVersion)
            throw new InvalidDataException($"{manifestPath}: version {version} is not supported (expected {FormatVersion}).");
        var manifest = TypedJson.Deserialize(utf8.Span, EmbeddingsJsonContext.Default.ItemEmbeddingsManifestDto, manifestPath);
        var sourceText = Required(manifest.Source, "source", manifestPath);
        if (!Enum.TryParse<IdentifierSource>(sourceText, ignoreCase: false, out var source) || !Enum.IsDefined(source))
            throw new InvalidDataException($"{manifestPath}: \"source\" is \"{sourceText}\"; expected Semantic, Collaborative or Fused.");
        var label = Required(manifest.Label, "label", manifestPath);
        var itemCount = Required(manifest.ItemCount, "itemCount", manifestPath);
        var dimension = Required(manifest.Dimension, "dimension", manifestPath);
        var tensorFile = Required(manifest.TensorFile, "tensorFile", manifestPath);
        var expectedHash = Required(manifest.TensorSha256, "tensorSha256", manifestPath);

        var tensorPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".", tensorFile);
        if (!File.Exists(tensorPath)) throw new FileNotFoundException($"{manifestPath} names tensor file \"{tensorFile}\", which does not exist.", tensorPath);
        var actualHash = Sha256(tensorPath);
        if (!string.Equals(actualHash, expectedHash, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{tensorPath} does not belong to {manifestPath}: its SHA-256 is {actualHash}, the manifest expects " +
                $"{expectedHash} (a file of the pair was replaced or is damaged).");

        var tensors = SafeTensorsFile.Load(tensorPath);
        EmbeddingMatrix matrix;
        try
        {
            if (!tensors.TryGetValue(TensorName, out var tensor))
                throw new InvalidDataException($"{tensorPath}: no tensor named \"{TensorName}\" (found: {string.Join(", ", tensors.Keys)}).");
            if (tensor.dtype != ScalarType.Float32 || tensor.dim() != 2 || tensor.shape[0] != itemCount || tensor.shape[1] != dimension)
                throw new InvalidDataException($"{tensorPath}: \"{TensorName}\" is {tensor.dtype}[{string.Join(", ", tensor.shape)}], the manifest expects " +
                    $"Float32[{itemCount}, {dimension}].");
            try { matrix = EmbeddingMatrix.FromTensor(tensor); }
            catch (ArgumentException e) { throw new InvalidDataException($"{tensorPath}: {e.Message}", e); }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }

        IdentifierTable? identifiers = null;
        if (manifest.Identifiers is { } node)
        {
            identifiers = IdentifierTable.FromJson(node, $"{manifestPath}: identifiers");
            if (identifiers.ItemCount != itemCount)
                throw new InvalidDataException($"{manifestPath}: the identifier table covers {identifiers.ItemCount} items, the embeddings {itemCount}.");
        }

        ItemEmbeddings embeddings;
        try { embeddings = new ItemEmbeddings(matrix, source, label); }
        catch (ArgumentException e) { throw new InvalidDataException($"{manifestPath}: {e.Message}", e); }
        return new StoredItemEmbeddings(embeddings, identifiers);
    }

    private static string BasePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        foreach (var extension in new[] { ".json", ".safetensors" })
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                return path[..^extension.Length];
        return path;
    }

    private static string Sha256(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(fs)).ToLowerInvariant();
    }

    // A missing field keeps the message it had before the typed reader; a field of the wrong type is named by the reader.
    private static T Required<T>(T? value, string name, string source) where T : class =>
        value ?? throw new InvalidDataException($"{source}: \"{name}\" is missing.");

    private static int Required(int? value, string name, string source) =>
        value ?? throw new InvalidDataException($"{source}: \"{name}\" is missing.");
}
