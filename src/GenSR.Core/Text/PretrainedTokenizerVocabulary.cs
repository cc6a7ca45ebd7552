using Microsoft.ML.Tokenizers;

namespace GenSR.Core;

/// <summary>
/// The vocabulary of a pretrained model (e.g. T5 with its SentencePiece model), wrapping any Microsoft.ML.Tokenizers
/// <see cref="Tokenizer"/>. Added tokens follow the base vocabulary, so the pretrained embedding keeps its rows and is
/// only extended: <c>[BaseVocabularySize]</c> soft token, then a dedicated "Yes" and/or "No" token when the tokenizer
/// does not encode that word as a single token, then the identifier tokens.
/// </summary>
public sealed class PretrainedTokenizerVocabulary : ModelVocabulary
{
    private readonly PretrainedTokenizerVocabularyOptions _options;
    private readonly bool _isSentencePiece;
    private readonly int _yesId;
    private readonly int _noId;
    private readonly int _identifierOffset;

    /// <summary>Wraps <paramref name="tokenizer"/>; create it so that it adds no beginning- or end-of-sentence tokens.</summary>
    /// <exception cref="ArgumentException">A special id is not below <see cref="PretrainedTokenizerVocabularyOptions.BaseVocabularySize"/>.</exception>
    public PretrainedTokenizerVocabulary(Tokenizer tokenizer, PretrainedTokenizerVocabularyOptions options)
        : base((options ?? throw new ArgumentNullException(nameof(options))).IdentifierTokenCount)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (var (name, id) in new[] { ("PadId", options.PadId), ("EosId", options.EosId), ("UnknownId", options.UnknownId) })
            if (id >= options.BaseVocabularySize)
                throw new ArgumentException($"{name} {id} is not below BaseVocabularySize {options.BaseVocabularySize}.", nameof(options));
        Tokenizer = tokenizer;
        _options = options;
        _isSentencePiece = tokenizer is SentencePieceTokenizer;
        var next = options.BaseVocabularySize + 1;
        _yesId = SingleTokenOrNull(options.YesText) ?? next++;
        _noId = SingleTokenOrNull(options.NoText) ?? next++;
        _identifierOffset = next;
        AddsYesToken = _yesId >= options.BaseVocabularySize;
        AddsNoToken = _noId >= options.BaseVocabularySize;
    }

    /// <summary>
    /// Loads a SentencePiece model (e.g. a T5 <c>spiece.model</c>) with the T5 conventions (pad 0; eos and unk from the model).
    /// </summary>
    /// <param name="modelPath">Path of the <c>.model</c> file.</param>
    /// <param name="identifierTokenCount">Identifier tokens to append.</param>
    /// <param name="baseVocabularySize">Rows of the pretrained embedding (32128 for T5); default: the model's piece count.</param>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model (the message names the file).</exception>
    public static PretrainedTokenizerVocabulary LoadSentencePiece(string modelPath, int identifierTokenCount = 0, int? baseVocabularySize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        using var stream = File.OpenRead(modelPath);
        return LoadSentencePiece(stream, identifierTokenCount, baseVocabularySize, modelPath);
    }

    /// <summary>Loads a SentencePiece model from a stream (see <see cref="LoadSentencePiece(string, int, int?)"/>).</summary>
    /// <param name="model">The serialized model.</param>
    /// <param name="identifierTokenCount">Identifier tokens to append.</param>
    /// <param name="baseVocabularySize">Rows of the pretrained embedding (32128 for T5); default: the model's piece count.</param>
    /// <param name="source">Name of the model for error messages.</param>
    public static PretrainedTokenizerVocabulary LoadSentencePiece(Stream model, int identifierTokenCount = 0, int? baseVocabularySize = null,
                                                                  string source = "SentencePiece model")
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        model.CopyTo(buffer);
        var bytes = SentencePieceModelBytes.WithBosPiece(buffer.ToArray(), source);
        SentencePieceTokenizer tokenizer;
        try
        {
            tokenizer = SentencePieceTokenizer.Create(new MemoryStream(bytes), addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException
                                      or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"{source}: could not load the SentencePiece model ({e.Message}).", e);
        }
        var pieces = tokenizer.Vocabulary.Values.DefaultIfEmpty(-1).Max() + 1;
        return new PretrainedTokenizerVocabulary(tokenizer, new PretrainedTokenizerVocabularyOptions
        {
            BaseVocabularySize = baseVocabularySize ?? pieces,
            PadId = 0,
            EosId = tokenizer.EndOfSentenceId,
            UnknownId = tokenizer.UnknownId,
            IdentifierTokenCount = identifierTokenCount,
        })
        { SentencePieceModel = buffer.ToArray() };
    }

    /// <summary>The serialized SentencePiece model this vocabulary was loaded from (so it can be saved with a checkpoint), or null when built from
    /// a tokenizer object.</summary>
    public byte[]? SentencePieceModel { get; private init; }

    /// <summary>The wrapped tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Rows of the pretrained embedding that belong to the tokenizer; the first added token has this id.</summary>
    public int BaseVocabularySize => _options.BaseVocabularySize;

    /// <summary>Whether "Yes" is an added token (the tokenizer splits the word).</summary>
    public bool AddsYesToken { get; }

    /// <summary>Whether "No" is an added token (the tokenizer splits the word).</summary>
    public bool AddsNoToken { get; }

    /// <inheritdoc/>
    public override int PadId => _options.PadId;

    /// <inheritdoc/>
    public override int EosId => _options.EosId;

    /// <inheritdoc/>
    public override int UnknownId => _options.UnknownId;

    /// <inheritdoc/>
    public override int SoftTokenId => _options.BaseVocabularySize;

    /// <inheritdoc/>
    public override int YesId => _yesId;

    /// <inheritdoc/>
    public override int NoId => _noId;

    /// <inheritdoc/>
    public override int IdentifierOffset => _identifierOffset;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The tokenizer produced an id outside the base vocabulary.</exception>
    public override int[] EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var ids = Encode(text);
        var result = new int[ids.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var id = ids[i];
            if ((uint)id >= (uint)BaseVocabularySize)
                throw new InvalidOperationException(
                    $"The tokenizer produced id {id} for \"{text}\", outside the base vocabulary [0, {BaseVocabularySize}); raise BaseVocabularySize.");
            result[i] = id;
        }
        return result;
    }

    /// <inheritdoc/>
    public override bool IsTextToken(int id) =>
        (id >= 0 && id < BaseVocabularySize && id != PadId && id != EosId && id != UnknownId) ||
        (AddsYesToken && id == _yesId) || (AddsNoToken && id == _noId);

    /// <inheritdoc/>
    public override ModelVocabulary WithIdentifierTokenCount(int identifierTokenCount) =>
        new PretrainedTokenizerVocabulary(Tokenizer, _options with { IdentifierTokenCount = identifierTokenCount }) { SentencePieceModel = SentencePieceModel };

    /// <inheritdoc/>
    protected override string DecodeTextTokens(IReadOnlyList<int> textIds)
    {
        var sb = new System.Text.StringBuilder();
        var run = new List<int>();
        foreach (var id in textIds)
        {
            if (id < BaseVocabularySize)
            {
                run.Add(id);
                continue;
            }
            Flush();
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(id == _yesId ? _options.YesText : _options.NoText);
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            if (run.Count == 0) return;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Tokenizer.Decode(run));
            run.Clear();
        }
    }

    private IReadOnlyList<int> Encode(string text) => _isSentencePiece
        ? ((SentencePieceTokenizer)Tokenizer).EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false)
        : Tokenizer.EncodeToIds(text);

    private int? SingleTokenOrNull(string text)
    {
        var ids = Encode(text);
        return ids.Count == 1 && ids[0] != UnknownId && ids[0] < BaseVocabularySize ? ids[0] : null;
    }
}
