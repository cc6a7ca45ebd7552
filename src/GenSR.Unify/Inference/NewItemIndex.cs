using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GenSR.Core;
using GenSR.Representation;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// What a trained model needs to take items it was never trained on (<see cref="GenSRRecommender.AddItems"/>): the source of
/// its identifiers, the quantiser's codebooks, the semantic vector of every item and the encoder that made them. A new
/// item's text is encoded with that encoder; its collaborative vector is the mean of its nearest text neighbours'; its
/// identifier is the greedy residual code of the same vector the catalogue was quantised from, moved to the nearest free
/// code when taken, so it lands among items like it and the trie can generate it at once.
/// </summary>
/// <remarks>
/// Saved beside a checkpoint's weights as <see cref="TensorsFileName"/> (codebooks and vectors), <see cref="ManifestFileName"/>
/// and, for LSA vectors, <see cref="LsaFileName"/> (the fitted encoder). A pretrained encoder is not saved (its weights
/// live in their own package): give it again when loading.
/// </remarks>
public sealed class NewItemIndex : IDisposable
{
    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    /// <summary>File name of the codebooks and semantic vectors.</summary>
    public const string TensorsFileName = "new-items.safetensors";

    /// <summary>File name of the index's manifest.</summary>
    public const string ManifestFileName = "new-items.json";

    /// <summary>File name of the fitted LSA encoder, when the semantic vectors are LSA's.</summary>
    public const string LsaFileName = "new-items-lsa.safetensors";

    /// <summary>Text neighbours whose collaborative vectors a new item's is the mean of.</summary>
    public const int Neighbours = 10;

    private bool _ownsEncoder;

    /// <summary>Creates an index.</summary>
    /// <param name="source">How the identifiers were made: <see cref="IdentifierSource.Semantic"/>, <see cref="IdentifierSource.Collaborative"/>
    /// or <see cref="IdentifierSource.Fused"/> (text-first identifiers cannot take new items).</param>
    /// <param name="codebooks">The quantiser's codebooks, in the space of the quantised vectors.</param>
    /// <param name="semanticVectors">Every catalogue item's semantic vector <c>[items, d]</c>, as the encoder gave it.</param>
    /// <param name="encoder">The encoder of the semantic vectors; null until one is attached (<see cref="WithEncoder"/>).</param>
    /// <param name="encoderLabel">What made the vectors (e.g. <c>lsa</c>, the encoder's type name), checked when an encoder is attached.</param>
    /// <param name="fields">The item fields the encoder reads.</param>
    /// <param name="ownsEncoder">Whether disposing the index disposes the encoder.</param>
    /// <param name="itemTokensIncludeCategories">Whether the model's item tokens start with the category words.</param>
    /// <param name="textVectorsAreSemantic">Whether the model's item text-vector table holds these semantic vectors (else the query
    /// encoder's item vectors).</param>
    /// <exception cref="ArgumentException">The source cannot take new items, or the shapes disagree.</exception>
    public NewItemIndex(IdentifierSource source, ResidualCodebooks codebooks, EmbeddingMatrix semanticVectors, ISemanticEncoder? encoder, string encoderLabel,
                        ItemTextFields fields, bool ownsEncoder, bool itemTokensIncludeCategories, bool textVectorsAreSemantic)
    {
        ArgumentNullException.ThrowIfNull(codebooks);
        ArgumentNullException.ThrowIfNull(semanticVectors);
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderLabel);
        if (source is not (IdentifierSource.Semantic or IdentifierSource.Collaborative or IdentifierSource.Fused))
            throw new ArgumentException($"{source} identifiers cannot take new items; Semantic, Collaborative and Fused identifiers can.", nameof(source));
        if (encoder is not null && encoder.Dimension != semanticVectors.Dimension)
            throw new ArgumentException(
                $"The encoder gives {encoder.Dimension}-d vectors but the semantic vectors are {semanticVectors.Dimension}-d.", nameof(encoder));
        Source = source;
        Codebooks = codebooks;
        SemanticVectors = semanticVectors;
        Encoder = encoder;
        EncoderLabel = encoderLabel;
        Fields = fields;
        ItemTokensIncludeCategories = itemTokensIncludeCategories;
        TextVectorsAreSemantic = textVectorsAreSemantic;
        _ownsEncoder = ownsEncoder && encoder is not null;
    }

    /// <summary>How the identifiers were made.</summary>
    public IdentifierSource Source { get; }

    /// <summary>The quantiser's codebooks.</summary>
    public ResidualCodebooks Codebooks { get; }

    /// <summary>Every catalogue item's semantic vector.</summary>
    public EmbeddingMatrix SemanticVectors { get; }

    /// <summary>The encoder of the semantic vectors, or null when none is attached.</summary>
    public ISemanticEncoder? Encoder { get; }

    /// <summary>What made the semantic vectors.</summary>
    public string EncoderLabel { get; }

    /// <summary>The item fields the encoder reads.</summary>
    public ItemTextFields Fields { get; }

    /// <summary>Whether the model's item tokens start with the category words.</summary>
    public bool ItemTokensIncludeCategories { get; }

    /// <summary>Whether the model's item text-vector table holds these semantic vectors.</summary>
    public bool TextVectorsAreSemantic { get; }

    /// <summary>Number of items covered.</summary>
    public int ItemCount => SemanticVectors.Rows;

    /// <summary>The same index with <paramref name="encoder"/> attached (the caller keeps owning it).</summary>
    /// <exception cref="ArgumentException">The encoder's width differs from the vectors'.</exception>
    public NewItemIndex WithEncoder(ISemanticEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return new NewItemIndex(Source, Codebooks, SemanticVectors, encoder, EncoderLabel, Fields, ownsEncoder: false, ItemTokensIncludeCategories,
            TextVectorsAreSemantic);
    }

    /// <summary>Where new items go: their semantic and collaborative vectors, text neighbours and identifiers.</summary>
    internal sealed record Placement(EmbeddingMatrix Semantic, EmbeddingMatrix Collaborative, int[][] Neighbours, int[][] Codes);

    /// <summary>Places <paramref name="items"/> beside a catalogue whose collaborative vectors are <paramref name="collaborative"/> and identifiers
    /// <paramref name="identifiers"/>.</summary>
    internal Placement Place(IReadOnlyList<Item> items, EmbeddingMatrix collaborative, IdentifierTable identifiers)
    {
        var encoder = Encoder ?? throw new InvalidOperationException(
            $"Adding items needs the encoder of the identifiers' semantic vectors ({EncoderLabel}); attach it with NewItemIndex.WithEncoder or give it " +
            "when loading the checkpoint.");
        if (collaborative.Rows != ItemCount || identifiers.ItemCount != ItemCount)
            throw new InvalidOperationException(
                $"The index covers {ItemCount} items but the model has {collaborative.Rows} collaborative vectors and {identifiers.ItemCount} identifiers.");
        EmbeddingMatrix semantic;
        using (var encoded = encoder.EncodeItems(items, Fields))
            semantic = EmbeddingMatrix.FromTensor(encoded.to(ScalarType.Float32).cpu());
        var known = SemanticVectors.L2Normalized();
        var fresh = semantic.L2Normalized();
        var k = Math.Min(Neighbours, ItemCount);
        var neighbours = new int[items.Count][];
        var cf = new float[items.Count * collaborative.Dimension];
        var similarities = new float[ItemCount];
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = 0; j < ItemCount; j++) similarities[j] = TensorPrimitives.Dot(fresh.Row(i), known.Row(j));
            neighbours[i] = Enumerable.Range(0, ItemCount).OrderByDescending(j => similarities[j]).ThenBy(j => j).Take(k).ToArray();
            // The neighbours' collaborative vectors weighted by text similarity (uniformly when none is positive).
            var weights = neighbours[i].Select(j => Math.Max(similarities[j], 0f)).ToArray();
            var total = weights.Sum();
            var row = cf.AsSpan(i * collaborative.Dimension, collaborative.Dimension);
            for (var n = 0; n < k; n++)
                TensorPrimitives.MultiplyAdd(collaborative.Row(neighbours[i][n]), total > 0 ? weights[n] / total : 1f / k, row, row);
        }

        var cfNew = new EmbeddingMatrix(cf, items.Count, collaborative.Dimension);
        var quantised = Source switch
        {
            IdentifierSource.Semantic => semantic,
            IdentifierSource.Collaborative => cfNew,
            _ => ItemEmbeddings.Fuse(new ItemEmbeddings(cfNew, IdentifierSource.Collaborative, "neighbours"),
                new ItemEmbeddings(semantic, IdentifierSource.Semantic, EncoderLabel)).Vectors,
        };
        if (quantised.Dimension != Codebooks.Dimension)
            throw new InvalidOperationException($"The new items' {Source} vectors are {quantised.Dimension}-d but the codebooks are {Codebooks.Dimension}-d.");
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < identifiers.ItemCount; j++) taken.Add(Key(identifiers.GetCodes(j)));
        var codes = new int[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            var vector = quantised.Row(i).ToArray();
            codes[i] = FreeIdentifier(vector, Prefixes(neighbours[i], vector, identifiers), identifiers, taken)
                ?? throw new InvalidOperationException($"Item \"{items[i].Key}\": every identifier near its codes is taken; retrain to give it one.");
            taken.Add(Key(codes[i]));
        }

        return new Placement(semantic, cfNew, neighbours, codes);
    }

    /// <summary>
    /// The prefixes (every codebook level but the last) a new item may take, best first. Semantic identifiers: the greedy
    /// residual code of its text vector. Collaborative and fused identifiers, whose codes also say who uses an item: the
    /// prefixes of its text neighbours, nearest first (an item like it sits where the model already generates for such
    /// requests), then the greedy code of its estimated vector.
    /// </summary>
    private IEnumerable<int[]> Prefixes(int[] neighbours, float[] vector, IdentifierTable identifiers)
    {
        var levels = Codebooks.Levels.Count;
        if (Source != IdentifierSource.Semantic)
            foreach (var j in neighbours) yield return identifiers.GetCodes(j).Take(levels - 1).ToArray();
        yield return Codebooks.Encode(vector).Take(levels - 1).ToArray();
    }

    /// <summary>
    /// The first identifier no item has: for each prefix in turn, the last codebook level tried from the centroid nearest to
    /// the vector's residual outwards and, when the table has an appended disambiguation level, each of its codes.
    /// </summary>
    private int[]? FreeIdentifier(float[] vector, IEnumerable<int[]> prefixes, IdentifierTable identifiers, HashSet<string> taken)
    {
        var levels = Codebooks.Levels.Count;
        var last = Codebooks.Levels[levels - 1];
        var extra = identifiers.MaxLength > levels ? identifiers.LevelSizes[levels] : 0;
        var difference = new float[vector.Length];
        foreach (var prefix in prefixes)
        {
            var residual = vector.ToArray();
            for (var l = 0; l < levels - 1; l++) TensorPrimitives.Subtract(residual, Codebooks.Levels[l].Row(prefix[l]), residual);
            var order = Enumerable.Range(0, Math.Min(last.Rows, identifiers.LevelSizes[levels - 1])).Select(c =>
            {
                TensorPrimitives.Subtract(residual, last.Row(c), difference);
                return (Code: c, Distance: TensorPrimitives.Dot<float>(difference, difference));
            }).OrderBy(x => x.Distance).ThenBy(x => x.Code).Select(x => x.Code);
            foreach (var code in order)
            {
                int[] candidate = [.. prefix, code];
                if (extra == 0)
                {
                    if (!taken.Contains(Key(candidate))) return candidate;
                    continue;
                }

                for (var e = 0; e < extra; e++)
                {
                    int[] withExtra = [.. candidate, e];
                    if (!taken.Contains(Key(withExtra))) return withExtra;
                }
            }
        }

        return null;
    }

    private static string Key(IReadOnlyList<int> codes) => string.Join(',', codes);

    /// <summary>The index after <paramref name="placement"/>'s items were added (same codebooks and encoder, whose ownership moves to it).</summary>
    internal NewItemIndex Extended(Placement placement)
    {
        var values = new float[(SemanticVectors.Rows + placement.Semantic.Rows) * SemanticVectors.Dimension];
        SemanticVectors.Values.CopyTo(values);
        placement.Semantic.Values.CopyTo(values.AsSpan(SemanticVectors.Values.Length));
        // The encoder passes to the new index: disposing this one afterwards leaves it alone.
        var extended = new NewItemIndex(Source, Codebooks,
            new EmbeddingMatrix(values, SemanticVectors.Rows + placement.Semantic.Rows, SemanticVectors.Dimension),
            Encoder, EncoderLabel, Fields, _ownsEncoder, ItemTokensIncludeCategories, TextVectorsAreSemantic);
        _ownsEncoder = false;
        return extended;
    }

    /// <summary>The files <see cref="Save"/> writes, as checkpoint sidecar writers (file name → writer of that path).</summary>
    public IReadOnlyDictionary<string, Action<string>> SidecarFiles()
    {
        var files = new Dictionary<string, Action<string>>
        {
            [TensorsFileName] = path =>
            {
                var tensors = new Dictionary<string, Tensor> { ["semantic_vectors"] = SemanticVectors.ToTensor() };
                for (var l = 0; l < Codebooks.Levels.Count; l++) tensors[$"codebook.{l}"] = Codebooks.Levels[l].ToTensor();
                try
                {
                    SafeTensorsFile.Save(path, tensors);
                }
                finally
                {
                    foreach (var t in tensors.Values) t.Dispose();
                }
            },
            [ManifestFileName] = path => File.WriteAllText(path, TypedJson.Write(new NewItemManifestDto
            {
                FormatVersion = FormatVersion,
                Source = Source.ToString(),
                Encoder = EncoderLabel,
                Fields = (int)Fields,
                ItemTokensIncludeCategories = ItemTokensIncludeCategories,
                TextVectorsAreSemantic = TextVectorsAreSemantic,
            }, NewItemJsonContext.Default.NewItemManifestDto, indented: false)),
        };
        if (Encoder is LsaTextEncoder lsa) files[LsaFileName] = lsa.Save;
        return files;
    }

    /// <summary>Writes the index into <paramref name="folder"/> (its three files at most).</summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        foreach (var (name, write) in SidecarFiles()) write(Path.Combine(folder, name));
    }

    /// <summary>Whether <paramref name="folder"/> holds a saved index.</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, ManifestFileName));

    /// <summary>Reads an index written by <see cref="Save"/>; every shape is checked against <paramref name="itemCount"/> before use.</summary>
    /// <param name="folder">The folder (a checkpoint's version folder).</param>
    /// <param name="itemCount">The catalogue size the index must cover.</param>
    /// <param name="encoder">The encoder of a pretrained index (the caller keeps owning it); an LSA index loads its own.</param>
    /// <exception cref="InvalidDataException">A file is missing, damaged or disagrees with the catalogue; the message names it.</exception>
    public static NewItemIndex Load(string folder, int itemCount, ISemanticEncoder? encoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var manifestPath = Path.Combine(folder, ManifestFileName);
        var tensorsPath = Path.Combine(folder, TensorsFileName);
        if (!File.Exists(tensorsPath)) throw new InvalidDataException($"{tensorsPath}: missing; the new-item index in \"{folder}\" is incomplete.");
        // Read with a cap (a link to a device file must not be read forever): a new-item manifest is a few hundred bytes.
        var buffer = new byte[(1 << 20) + 1];
        int length;
        using (var stream = File.OpenRead(manifestPath))
        {
            length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        if (length > 1 << 20) throw new InvalidDataException($"{manifestPath}: more than 1 MiB; a new-item manifest is a few hundred bytes.");
        if (!System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, length))) throw new InvalidDataException($"{manifestPath}: not valid UTF-8 text.");
        var utf8 = buffer.AsSpan(0, length);
        // The version first: a newer manifest is named as such, not by its first odd field.
        var version = TypedJson.Deserialize(utf8, NewItemJsonContext.Default.NewItemHeaderDto, manifestPath).FormatVersionNumber
            ?? throw new InvalidDataException($"{manifestPath}: \"format_version\" must be an integer.");
        if (version != FormatVersion) throw new InvalidDataException($"{manifestPath}: format version {version}; this library reads version {FormatVersion}.");
        var manifest = TypedJson.Deserialize(utf8, NewItemJsonContext.Default.NewItemManifestDto, manifestPath);
        var sourceText = manifest.Source ?? throw new InvalidDataException($"{manifestPath}: \"source\" must be a string.");
        if (!Enum.TryParse<IdentifierSource>(sourceText, out var source)
            || source is not (IdentifierSource.Semantic or IdentifierSource.Collaborative or IdentifierSource.Fused))
            throw new InvalidDataException($"{manifestPath}: \"source\" is \"{sourceText}\"; expected Semantic, Collaborative or Fused.");
        var fields = manifest.Fields is > 0 and var f
            ? (ItemTextFields)f
            : throw new InvalidDataException($"{manifestPath}: \"fields\" must be a positive integer.");
        var label = manifest.Encoder ?? throw new InvalidDataException($"{manifestPath}: \"encoder\" must be a string.");
        var includeCategories = manifest.ItemTokensIncludeCategories
            ?? throw new InvalidDataException($"{manifestPath}: \"item_tokens_include_categories\" must be true or false.");
        var vectorsAreSemantic = manifest.TextVectorsAreSemantic
            ?? throw new InvalidDataException($"{manifestPath}: \"text_vectors_are_semantic\" must be true or false.");

        var (entries, _) = SafeTensorsFile.ReadHeader(tensorsPath);
        var byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (!byName.TryGetValue("semantic_vectors", out var vectorsEntry) || vectorsEntry.Shape.Length != 2 || vectorsEntry.Shape[0] != itemCount)
            throw new InvalidDataException($"{tensorsPath}: expected \"semantic_vectors\" of shape [{itemCount}, d].");
        var levels = 0;
        while (byName.ContainsKey($"codebook.{levels}")) levels++;
        if (levels == 0 || levels + 1 != entries.Count)
            throw new InvalidDataException(
                $"{tensorsPath}: expected semantic_vectors and codebook.0 … codebook.L-1, found {string.Join(", ", byName.Keys)}.");
        var tensors = SafeTensorsFile.Load(tensorsPath);
        try
        {
            var codebooks = new ResidualCodebooks(
                Enumerable.Range(0, levels).Select(l => EmbeddingMatrix.FromTensor(tensors[$"codebook.{l}"].to(ScalarType.Float32))).ToArray());
            var vectors = EmbeddingMatrix.FromTensor(tensors["semantic_vectors"].to(ScalarType.Float32));
            ISemanticEncoder? attached = encoder;
            var owns = false;
            if (attached is null && label == "lsa")
            {
                var lsaPath = Path.Combine(folder, LsaFileName);
                if (!File.Exists(lsaPath)) throw new InvalidDataException(
                    $"{lsaPath}: missing; the index's vectors are LSA's and its encoder was saved beside them.");
                attached = LsaTextEncoder.Load(lsaPath, TorchSharp.torch.CPU);
                owns = true;
            }

            return new NewItemIndex(source, codebooks, vectors, attached, label, fields, owns, includeCategories, vectorsAreSemantic);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{folder}: the new-item index does not fit together ({e.Message}).", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Disposes the encoder when the index owns it (an LSA encoder it loaded or the pipeline fitted).</summary>
    public void Dispose()
    {
        if (_ownsEncoder) Encoder!.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Source} identifiers, {ItemCount} items, {Codebooks.Levels.Count} levels, {EncoderLabel} vectors");
}
