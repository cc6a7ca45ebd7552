using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// A GenSR checkpoint: <c>model.safetensors</c> (every parameter and buffer of <see cref="GenSRModel"/>, loadable by
/// PyTorch's <c>safetensors.torch.load_file</c>) and <c>gensr.json</c> (format and library version, model config,
/// identifier table, vocabulary, item keys and titles, the SHA-256 of the weights). A SentencePiece vocabulary keeps its
/// <c>spiece.model</c> next to them, and sidecar files (e.g. the trainer's optimizer state) go beside them too.
/// </summary>
/// <remarks>
/// <para>Layout: the checkpoint folder holds a pointer file <c>current</c> naming a version folder <c>v-…</c> with the
/// files. <see cref="Save"/> writes a new version folder completely, then replaces <c>current</c> by an atomic rename and
/// only then deletes the previous version, so at every instant the folder resolves to one complete checkpoint; a kill
/// at any point leaves the previous or the new checkpoint, never none. Leftovers of interrupted saves (unreferenced
/// version folders, pointer temporaries) are removed by the next save, and by a load once they are ten minutes old.
/// Folders written before this layout (the files directly in the folder) still load, and the next save converts them.</para>
/// <para>Loading validates the manifest, the weights' SHA-256 and every tensor's name, shape and dtype, and reports all
/// problems.</para>
/// </remarks>
public sealed class GenSRCheckpoint : IDisposable
{
    /// <summary>Version of the manifest layout.</summary>
    public const int FormatVersion = 1;

    /// <summary>File name of the weights.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>File name of the manifest.</summary>
    public const string ManifestFileName = "gensr.json";

    /// <summary>File name of a SentencePiece model kept with the checkpoint.</summary>
    public const string SentencePieceFileName = "spiece.model";

    /// <summary>File name of the pointer to the current version folder.</summary>
    public const string CurrentFileName = "current";

    private const string VersionPrefix = "v-";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private GenSRCheckpoint(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, JsonObject? extra)
    {
        Model = model;
        Builder = builder;
        ItemKeys = itemKeys;
        Extra = extra;
    }

    /// <summary>The model with its weights loaded.</summary>
    public GenSRModel Model { get; }

    /// <summary>The input builder (config, vocabulary, identifiers, titles).</summary>
    public GenSRInputBuilder Builder { get; }

    /// <summary>External key of every item, by dense id.</summary>
    public IReadOnlyList<string> ItemKeys { get; }

    /// <summary>Free-form metadata saved with the checkpoint (e.g. training state), or null.</summary>
    public JsonObject? Extra { get; }

    /// <summary>The new-item index saved beside the weights (see <see cref="GenSRRecommender.AddItems"/>), or null when there is none.</summary>
    public NewItemIndex? NewItems { get; private set; }

    /// <summary>Hands the new-item index over to the caller, who then disposes it (the checkpoint forgets it).</summary>
    public NewItemIndex? TakeNewItems()
    {
        var index = NewItems;
        NewItems = null;
        return index;
    }

    /// <summary>The library version written into manifests.</summary>
    public static string LibraryVersion =>
        typeof(GenSRCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GenSRCheckpoint).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Saves a model and its input side into <paramref name="folder"/>, replacing the checkpoint there atomically.</summary>
    /// <param name="folder">Destination folder: absent, empty, or a GenSR checkpoint (anything else is refused).</param>
    /// <param name="model">The model.</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="itemKeys">External key of every item, by dense id.</param>
    /// <param name="extra">Optional metadata stored under "extra".</param>
    /// <param name="sidecarFiles">Extra files to write beside the weights (plain file name → writer), e.g. optimizer state;
    /// read them back through <see cref="ResolveFolder"/>.</param>
    /// <exception cref="ArgumentException">Null or duplicate item keys, a sidecar name that is reserved or not a plain file
    /// name, or a destination that is a file or a non-empty folder that is not a checkpoint.</exception>
    /// <exception cref="ObjectDisposedException">The model has been disposed.</exception>
    public static void Save(string folder, GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, JsonObject? extra = null,
                            IReadOnlyDictionary<string, Action<string>>? sidecarFiles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(itemKeys);
        if (itemKeys.Count != model.Config.ItemCount)
            throw new ArgumentException($"{itemKeys.Count} item keys given for {model.Config.ItemCount} items.", nameof(itemKeys));
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < itemKeys.Count; i++)
        {
            if (itemKeys[i] is null) throw new ArgumentException($"Item key {i} is null.", nameof(itemKeys));
            if (!seenKeys.Add(itemKeys[i])) throw new ArgumentException(
                $"Item key {i} (\"{itemKeys[i]}\") repeats an earlier key; item keys must be unique.", nameof(itemKeys));
        }
        if (model.IsDisposed || model.parameters().Any(p => p.IsInvalid) || model.buffers().Any(b => b.IsInvalid))
            throw new ObjectDisposedException(nameof(model), "The model has been disposed; there are no weights to save.");
        if (sidecarFiles is not null)
            foreach (var name in sidecarFiles.Keys) CheckSidecarName(name);

        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(full)) throw new ArgumentException($"\"{folder}\" is a file; a checkpoint is saved into a folder.", nameof(folder));
        var legacy = false;
        if (Directory.Exists(full))
        {
            legacy = !File.Exists(Path.Combine(full, CurrentFileName)) && File.Exists(Path.Combine(full, ManifestFileName));
            if (!legacy && !File.Exists(Path.Combine(full, CurrentFileName)) && Directory.EnumerateFileSystemEntries(full).Any())
                throw new ArgumentException(
                    $"\"{folder}\" holds other files and is not a GenSR checkpoint; save into an empty or new folder (nothing was written).", nameof(folder));
        }

        Directory.CreateDirectory(full);
        RemoveLeftovers(full, TimeSpan.Zero);
        var version = $"{VersionPrefix}{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var temp = Path.Combine(full, version);
        Directory.CreateDirectory(temp);
        try
        {
            var tensors = new List<KeyValuePair<string, Tensor>>();
            using (var scope = NewDisposeScope())
            {
                foreach (var (name, tensor) in model.state_dict()) tensors.Add(new(name, tensor.detach().cpu().contiguous()));
                SafeTensorsFile.Save(Path.Combine(temp, WeightsFileName), tensors,
                    new Dictionary<string, string> { ["format"] = "pt", ["library"] = "GenSR.NET " + LibraryVersion });
            }
            var weightsHash = Sha256(Path.Combine(temp, WeightsFileName));

            CheckpointVocabularyDto vocabulary;
            switch (builder.Vocabulary)
            {
                case CompactGpt2Vocabulary compact:
                    vocabulary = new CheckpointVocabularyDto { Kind = "compact-gpt2", Data = compact.ToJson() };
                    break;
                case PretrainedTokenizerVocabulary { SentencePieceModel: { } spiece } pretrained:
                    File.WriteAllBytes(Path.Combine(temp, SentencePieceFileName), spiece);
                    vocabulary = new CheckpointVocabularyDto
                    {
                        Kind = "sentencepiece",
                        IdentifierTokenCount = pretrained.IdentifierTokenCount,
                        BaseVocabularySize = pretrained.BaseVocabularySize,
                    };
                    break;
                default:
                    throw new NotSupportedException($"Saving a {builder.Vocabulary.GetType().Name} is not supported; use CompactGpt2Vocabulary or a " +
                        "vocabulary from PretrainedTokenizerVocabulary.FromSentencePiece.");
            }

            var manifest = new CheckpointManifestDto
            {
                Format = "gensr-checkpoint",
                FormatVersion = FormatVersion,
                LibraryVersion = LibraryVersion,
                Model = model.Config.ToJson(),
                PromptHistoryItems = builder.PromptHistoryItems,
                Vocabulary = vocabulary,
                Identifiers = builder.Identifiers.ToJson(),
                ItemKeys = itemKeys.ToList<string?>(),
                ItemTitles = builder.Titles.ToList<string?>(),
                Extra = (JsonObject?)extra?.DeepClone(),
                WeightsSha256 = weightsHash,
            };
            WriteDurably(Path.Combine(temp, ManifestFileName), TypedJson.Write(manifest, CheckpointJsonContext.Default.CheckpointManifestDto, indented: false));
            if (sidecarFiles is not null)
                foreach (var (name, write) in sidecarFiles) write(Path.Combine(temp, name));

            // The switch: one rename replaces the pointer. Before it the previous checkpoint is current, after it the new one.
            var previous = CurrentVersionName(full);
            var pointer = Path.Combine(full, $"{CurrentFileName}.tmp-{Guid.NewGuid():N}");
            WriteDurably(pointer, version);
            File.Move(pointer, Path.Combine(full, CurrentFileName), overwrite: true);
            // The grace of the version just superseded runs from now (its folder's time), not from when it was saved: a load
            // that read the old pointer a moment ago may be opening it.
            if (previous is not null && previous != version && Directory.Exists(Path.Combine(full, previous)))
            {
                try { Directory.SetLastWriteTimeUtc(Path.Combine(full, previous), DateTime.UtcNow); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }

        // Only now earlier versions (and a converted folder's loose files) can go: those begun and last superseded (or
        // written) more than SupersededGrace ago. A younger one may be what a concurrent Load is reading, or a concurrent
        // save's version in progress.
        foreach (var entry in Directory.EnumerateDirectories(full, VersionPrefix + "*"))
            if (Path.GetFileName(entry) != version && VersionAge(Path.GetFileName(entry)) > SupersededGrace
                && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(entry) > SupersededGrace) TryDelete(entry);
        if (legacy)
            foreach (var file in Directory.EnumerateFiles(full))
                if (Path.GetFileName(file) != CurrentFileName) TryDelete(file);
    }

    /// <summary>
    /// The folder that holds the current version's files (manifest, weights, sidecars) of the checkpoint at
    /// <paramref name="folder"/>: its current version folder, or the folder itself for a checkpoint written before
    /// versioned folders.
    /// </summary>
    /// <exception cref="FileNotFoundException"><paramref name="folder"/> is not a GenSR checkpoint.</exception>
    /// <exception cref="InvalidDataException">The pointer file is malformed or names a missing version.</exception>
    public static string ResolveFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var pointer = Path.Combine(folder, CurrentFileName);
        if (!File.Exists(pointer))
        {
            var manifest = Path.Combine(folder, ManifestFileName);
            return File.Exists(manifest) ? folder
                : throw new FileNotFoundException(
                    $"\"{folder}\" is not a GenSR checkpoint: it has neither {CurrentFileName} nor {ManifestFileName}.", manifest);
        }

        var info = new FileInfo(pointer);
        if (info.Length > 256) throw new InvalidDataException($"{pointer}: {info.Length} bytes; expected the name of a version folder.");
        var version = File.ReadAllText(pointer).Trim();
        if (!version.StartsWith(VersionPrefix, StringComparison.Ordinal) || version.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new InvalidDataException($"{pointer}: \"{version}\" is not a version folder name (v- followed by letters, digits and dashes).");
        var resolved = Path.Combine(folder, version);
        return Directory.Exists(resolved) ? resolved
            : throw new InvalidDataException($"{pointer}: names the version folder \"{version}\", which does not exist.");
    }

    /// <summary>Whether <paramref name="folder"/> holds a GenSR checkpoint (current layout or the earlier one); does not validate it.</summary>
    public static bool Exists(string folder) =>
        !string.IsNullOrWhiteSpace(folder) && (File.Exists(Path.Combine(folder, CurrentFileName)) || File.Exists(Path.Combine(folder, ManifestFileName)));

    private static void CheckSidecarName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/')
            || name.Contains('\\') || Path.IsPathRooted(name))
            throw new ArgumentException($"Sidecar name \"{name}\" must be a plain file name (no folders, no \"..\", not rooted).", nameof(name));
        if (name is ManifestFileName or WeightsFileName or SentencePieceFileName or CurrentFileName)
            throw new ArgumentException($"Sidecar name \"{name}\" is reserved for the checkpoint's own files.", nameof(name));
    }

    /// <summary>Removes what interrupted saves left: unreferenced version folders and pointer temporaries older than <paramref name="age"/>, and the sibling
    /// folders of the earlier layout's saves.</summary>
    private static void RemoveLeftovers(string full, TimeSpan age)
    {
        string? current = null;
        try
        {
            if (File.Exists(Path.Combine(full, CurrentFileName))) current = Path.GetFileName(ResolveFolder(full));
        }
        catch (InvalidDataException)
        {
            // A damaged pointer: keep every version folder, the user may need one.
            return;
        }

        var cutoff = DateTime.UtcNow - age;
        foreach (var entry in Directory.EnumerateDirectories(full, VersionPrefix + "*"))
            if (Path.GetFileName(entry) != current && Directory.GetLastWriteTimeUtc(entry) <= cutoff) TryDelete(entry);
        foreach (var entry in Directory.EnumerateFiles(full, CurrentFileName + ".tmp-*"))
            if (File.GetLastWriteTimeUtc(entry) <= cutoff) TryDelete(entry);
        var parent = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        if (parent is null) return;
        // The earlier layout saved through sibling folders "<name>.tmp-<32 hex>" and "<name>.old-<32 hex>".
        foreach (var pattern in new[] { name + ".tmp-*", name + ".old-*" })
            foreach (var entry in Directory.EnumerateDirectories(parent, pattern))
            {
                var suffix = Path.GetFileName(entry)[(name.Length + 5)..];
                if (suffix.Length == 32 && suffix.All(char.IsAsciiHexDigitLower) && Directory.GetLastWriteTimeUtc(entry) <= cutoff) TryDelete(entry);
            }
    }

    /// <summary>How long a superseded version folder is kept after a save, for loads that resolved it before the switch.</summary>
    public static readonly TimeSpan SupersededGrace = TimeSpan.FromSeconds(30);

    /// <summary>How long ago a version folder's save began, from its name; unreadable names count as old.</summary>
    private static TimeSpan VersionAge(string name)
    {
        var stamp = name.Length >= VersionPrefix.Length + 18 ? name.AsSpan(VersionPrefix.Length, 18) : default;
        return DateTime.TryParseExact(stamp, "yyyyMMddTHHmmssfff", System.Globalization.CultureInfo.InvariantCulture,
                                      System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal,
                                      out var began)
            ? DateTime.UtcNow - began
            : TimeSpan.MaxValue;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // Another process may hold it; the next save tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void WriteDurably(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>SHA-256 of the file's bytes, reading exactly its length (a device file behind a link cannot make it read forever).</summary>
    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var left = stream.Length;
        while (left > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new InvalidDataException($"{path}: the file ended before its stated length.");
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>The text of a manifest: at most <see cref="MaxManifestBytes"/>, read to the file's stated length only.</summary>
    private static string ReadManifest(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxManifestBytes)
            throw new InvalidDataException($"{path}: {stream.Length:N0} bytes; a GenSR manifest is at most {MaxManifestBytes:N0} bytes.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        try
        {
            return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path}: not valid UTF-8 at byte {e.Index}.", e);
        }
    }

    /// <summary>The largest manifest <see cref="Load"/> reads (item keys and titles of a few million items fit).</summary>
    public const long MaxManifestBytes = 1L << 30;

    /// <summary>Loads a checkpoint folder onto <paramref name="device"/> (CPU by default).</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model goes; CPU when null.</param>
    /// <param name="queryEncoder">The query encoder of a model that reads query vectors (the one it was trained with); the
    /// checkpoint stores the model's side only. Without it such a model loads, but building a batch fails with a clear message.</param>
    /// <param name="itemEncoder">The pretrained encoder of the identifiers' semantic vectors, when the checkpoint has a new-item index
    /// over pretrained vectors (<see cref="NewItems"/>); an LSA index loads its own encoder. The caller owns it.</param>
    /// <exception cref="WeightsMismatchException">The weights do not match the manifest's model; every problem is listed.</exception>
    /// <exception cref="InvalidDataException">The new-item index beside the weights is damaged or does not fit the catalogue.</exception>
    public static GenSRCheckpoint Load(string folder, Device? device = null, Representation.ISemanticEncoder? queryEncoder = null,
                                       Representation.ISemanticEncoder? itemEncoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No GenSR checkpoint folder at \"{folder}\".");
        // A save that completes while this load reads removes the version it read: then the pointer names a newer complete
        // version, which is loaded instead (a few times at most, for saves back to back).
        for (var attempt = 1; ; attempt++)
        {
            string version;
            try
            {
                version = ResolveFolder(folder);
            }
            catch (InvalidDataException) when (attempt < MaxLoadAttempts)
            {
                // The pointer named a version that was gone by the time it was opened (a save switched and cleaned up in
                // between): read the pointer again; a pointer that stays broken fails on the last attempt.
                Thread.Sleep(10 * attempt);
                continue;
            }
            try
            {
                return LoadVersion(folder, version, device, queryEncoder, itemEncoder);
            }
            catch (Exception e) when (attempt < MaxLoadAttempts && e is IOException or InvalidDataException or WeightsMismatchException
                && PointerMoved(folder, version))
            {
            }
        }
    }

    /// <summary>How many times <see cref="Load"/> follows a pointer that moved while it read.</summary>
    private const int MaxLoadAttempts = 5;

    private static bool PointerMoved(string root, string version)
    {
        try
        {
            return File.Exists(Path.Combine(root, CurrentFileName)) && ResolveFolder(root) != version;
        }
        catch (IOException)
        {
            return false;
        }
        catch (InvalidDataException)
        {
            // It names a version already gone again: it moved.
            return true;
        }
    }

    /// <summary>The version folder name the pointer in <paramref name="folder"/> names, or null (no pointer, unreadable).</summary>
    private static string? CurrentVersionName(string folder)
    {
        try
        {
            var pointer = Path.Combine(folder, CurrentFileName);
            if (!File.Exists(pointer) || new FileInfo(pointer).Length > 256) return null;
            var name = File.ReadAllText(pointer).Trim();
            return name.StartsWith(VersionPrefix, StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? name : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static GenSRCheckpoint LoadVersion(string root, string folder, Device? device, Representation.ISemanticEncoder? queryEncoder,
                                               Representation.ISemanticEncoder? itemEncoder)
    {
        if (folder != root)
        {
            try { RemoveLeftovers(Path.GetFullPath(root), StaleAfter); }
            catch (IOException) { } // cleaning is best effort; loading does not depend on it
        }
        var manifestPath = Path.Combine(folder, ManifestFileName);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException(
            $"\"{folder}\" is not a GenSR checkpoint: {ManifestFileName} is missing.", manifestPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException(
            $"\"{folder}\" is not a complete GenSR checkpoint: {WeightsFileName} is missing.", weightsPath);
        var utf8 = TypedJson.Utf8(ReadManifest(manifestPath));
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        var header = ReadManifestPart(() => TypedJson.Deserialize(utf8, CheckpointJsonContext.Default.CheckpointHeaderDto, manifestPath), manifestPath);
        if (header.FormatName != "gensr-checkpoint")
            throw new InvalidDataException($"{manifestPath}: \"format\" must be \"gensr-checkpoint\".");
        var version = header.FormatVersionNumber ?? -1;
        if (version != FormatVersion)
            throw new InvalidDataException($"{manifestPath}: format_version {version} is not supported (this library reads version {FormatVersion}).");
        var manifest = ReadManifestPart(() => Deserialize(utf8, manifestPath), manifestPath);

        if (manifest.WeightsSha256 is { } recorded)
        {
            var actual = Sha256(weightsPath);
            if (!string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    $"{weightsPath}: SHA-256 {actual} does not match the manifest's {recorded}; the weights were changed or damaged after saving.");
        }

        var config = GenSRModelConfig.FromJson(manifest.Model, $"{manifestPath} \"model\"");
        var identifiers = IdentifierTable.FromJson(manifest.Identifiers, $"{manifestPath} \"identifiers\"");
        var vocabulary = ReadVocabulary(manifest.Vocabulary, folder, manifestPath);
        var keys = ReadStrings(manifest.ItemKeys, config.ItemCount, manifestPath, "item_keys");
        var firstOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
            if (!firstOfKey.TryAdd(keys[i], i))
                throw new InvalidDataException(
                    $"{manifestPath}: \"item_keys\"[{i}] (\"{keys[i]}\") repeats \"item_keys\"[{firstOfKey[keys[i]]}]; item keys must be unique.");
        var titles = ReadStrings(manifest.ItemTitles, config.ItemCount, manifestPath, "item_titles");
        var promptItems = manifest.PromptHistoryItems
            ?? throw new InvalidDataException($"{manifestPath}: \"prompt_history_items\" must be an integer.");
        GenSRInputBuilder builder;
        try
        {
            builder = new GenSRInputBuilder(config, vocabulary, identifiers, titles, promptItems, queryEncoder);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{manifestPath}: {e.Message}", e);
        }

        // The manifest is untrusted: before the model is allocated, the size it describes must fit the weights on disk.
        var (entries, _) = SafeTensorsFile.ReadHeader(weightsPath);
        var stored = entries.Sum(e => e.Shape.Aggregate(1.0, (a, b) => a * b));
        var needed = MinimumParameters(config);
        if (needed > stored)
            throw new InvalidDataException($"{manifestPath}: the model config describes at least {needed:N0} parameters but {weightsPath} holds {stored:N0} " +
                "values; the manifest does not belong to these weights.");

        var tensors = SafeTensorsFile.Load(weightsPath);
        try
        {
            var collaborative = Take(tensors, GenSRModel.ItemCollaborativeName, [config.ItemCount, config.CollaborativeDimension], folder);
            var titleIds = Take(tensors, GenSRModel.ItemTitleIdsName, [config.ItemCount, config.ItemTokenColumns], folder);
            var textVectors = config.HasItemTextVectors
                ? Take(tensors, GenSRModel.ItemTextVectorsName, [config.ItemCount, config.ItemTextVectorDimension], folder)
                : null;
            var model = new GenSRModel(config, collaborative, titleIds.to(ScalarType.Int64), vocabulary.PadId, itemTextVectors: textVectors);
            try
            {
                LoadState(model, tensors, folder);
                if (device is not null && device.type != DeviceType.CPU) model.to(device);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            NewItemIndex? newItems = null;
            try
            {
                if (NewItemIndex.Exists(folder)) newItems = NewItemIndex.Load(folder, config.ItemCount, itemEncoder);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            return new GenSRCheckpoint(model, builder, keys, manifest.Extra) { NewItems = newItems };
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>A lower bound on the parameters a config implies: the shared embedding and every backbone layer's attention
    /// and feed-forward matrices (computed in doubles, so absurd configs cannot overflow).</summary>
    private static double MinimumParameters(GenSRModelConfig config)
    {
        var b = config.Backbone;
        double d = b.DModel, inner = (double)b.NumHeads * b.DKv, ff = b.DFf;
        var encoderLayer = 4 * d * inner + 2 * d * ff;
        var decoderLayer = 8 * d * inner + 2 * d * ff;
        return (double)b.VocabSize * d + b.NumLayers * encoderLayer + b.NumDecoderLayers * decoderLayer
            + (double)config.ItemCount * config.CollaborativeDimension;
    }

    /// <summary>Copies <paramref name="tensors"/> into <paramref name="model"/>'s parameters and buffers after checking names, shapes,
    /// dtypes and finiteness.</summary>
    /// <exception cref="WeightsMismatchException">Anything does not match; all problems are listed and nothing is copied.</exception>
    public static void LoadState(GenSRModel model, IReadOnlyDictionary<string, Tensor> tensors, string origin)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var nonFinite = new List<string>();
        foreach (var (name, source) in tensors)
            if (source.is_floating_point() && source.numel() > 0)
                using (var finite = source.isfinite().all())
                    if (!finite.item<bool>()) nonFinite.Add($"\"{name}\" holds NaN or infinite values");
        StrictStateDict.Load(model.state_dict(), tensors, origin, "the GenSR model of the manifest", floatOnly: false, nonFinite);
    }

    /// <summary>Releases the model and the new-item index it still holds.</summary>
    public void Dispose()
    {
        Model.Dispose();
        NewItems?.Dispose();
    }

    private static Tensor Take(IReadOnlyDictionary<string, Tensor> tensors, string name, long[] shape, string folder)
    {
        if (!tensors.TryGetValue(name, out var t) || !t.shape.SequenceEqual(shape))
            throw new WeightsMismatchException(folder, "the manifest's catalogue",
                [$"\"{name}\" must exist with shape [{string.Join(", ", shape)}]" + (t is null ? " (missing)" : $" (found [{string.Join(", ", t.shape)}])")]);
        return t;
    }

    private static ModelVocabulary ReadVocabulary(CheckpointVocabularyDto? node, string folder, string manifestPath)
    {
        if (node is null) throw new InvalidDataException($"{manifestPath}: \"vocabulary\" must be an object.");
        switch (node.Kind)
        {
            case "compact-gpt2":
                return CompactGpt2Vocabulary.FromJson(node.Data, $"{manifestPath} \"vocabulary\"");
            case "sentencepiece":
                var path = Path.Combine(folder, SentencePieceFileName);
                if (!File.Exists(path)) throw new FileNotFoundException(
                    $"{manifestPath}: the vocabulary is SentencePiece but {SentencePieceFileName} is missing.", path);
                var count = node.IdentifierTokenCount
                    ?? throw new InvalidDataException($"{manifestPath}: \"vocabulary.identifier_token_count\" must be an integer.");
                var baseSize = node.BaseVocabularySize
                    ?? throw new InvalidDataException($"{manifestPath}: \"vocabulary.base_vocabulary_size\" must be an integer.");
                return PretrainedTokenizerVocabulary.LoadSentencePiece(path, count, baseSize);
            default:
                throw new InvalidDataException($"{manifestPath}: \"vocabulary.kind\" must be \"compact-gpt2\" or \"sentencepiece\".");
        }
    }

    private static string[] ReadStrings(List<string?>? list, int count, string manifestPath, string name)
    {
        if (list is null || list.Count != count)
            throw new InvalidDataException($"{manifestPath}: \"{name}\" must be an array of {count} strings.");
        var result = new string[count];
        for (var i = 0; i < count; i++)
            result[i] = list[i] ?? throw new InvalidDataException($"{manifestPath}: \"{name}\"[{i}] must be a string.");
        return result;
    }

    private static CheckpointManifestDto Deserialize(byte[] utf8, string manifestPath) =>
        TypedJson.Deserialize(utf8, CheckpointJsonContext.Default.CheckpointManifestDto, manifestPath);

    // The manifest's syntax errors keep their wording ("malformed JSON"); the rest name the field.
    private static T ReadManifestPart<T>(Func<T> read, string manifestPath)
    {
        try { return read(); }
        catch (InvalidDataException e) when (e.InnerException is JsonException { InnerException: JsonException } syntax)
        {
            throw new InvalidDataException($"{manifestPath}: malformed JSON ({syntax.Message}).", syntax);
        }
    }
}
