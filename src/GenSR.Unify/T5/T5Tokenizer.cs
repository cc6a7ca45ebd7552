using GenSR.Core;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// T5's tokenizer: a SentencePiece model (<c>spiece.model</c>, read by Microsoft.ML.Tokenizers'
/// <see cref="SentencePieceTokenizer"/>) with T5's conventions: ids are the model's piece ids, <c>&lt;pad&gt;</c> = 0,
/// <c>&lt;/s&gt;</c> = 1 closes every encoded text, no beginning-of-sentence token, batches are right-padded with pad.
/// </summary>
public sealed class T5Tokenizer
{
    private readonly byte[] modelBytes;
    private readonly string?[] pieces;

    private T5Tokenizer(byte[] modelBytes, string source)
    {
        this.modelBytes = modelBytes;
        var ids = SentencePieceModelBytes.ReadSpecialIds(modelBytes, source);
        if (ids.EndOfSentence < 0) throw new InvalidDataException(
            $"{source}: the SentencePiece model has no end-of-sentence piece (eos_id = -1); T5 needs one.");
        if (ids.Padding < 0) throw new InvalidDataException($"{source}: the SentencePiece model has no padding piece (pad_id = -1); T5 needs one.");
        // T5 models declare bos_id = -1, which Microsoft.ML.Tokenizers 2.0 cannot load; alias it to the pad piece.
        var loadable = SentencePieceModelBytes.WithBosPiece(modelBytes, source);
        try
        {
            using var stream = new MemoryStream(loadable, writable: false);
            SentencePiece = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException
            or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"{source}: could not be read as a SentencePiece model ({e.Message}).", e);
        }
        PadId = ids.Padding;
        EosId = ids.EndOfSentence;
        UnknownId = ids.Unknown;
        pieces = new string?[SentencePiece.Vocabulary.Values.Max() + 1];
        foreach (var (piece, id) in SentencePiece.Vocabulary) pieces[id] = piece;
        Source = source;
    }

    /// <summary>Reads <c>spiece.model</c> from <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model with end-of-sentence and padding pieces.</exception>
    public static T5Tokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        return new T5Tokenizer(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a SentencePiece model from a stream.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model with end-of-sentence and padding pieces.</exception>
    public static T5Tokenizer Load(Stream stream, string source = "spiece.model")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new T5Tokenizer(buffer.ToArray(), source);
    }

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer (adds no special tokens itself).</summary>
    public SentencePieceTokenizer SentencePiece { get; }

    /// <summary>Where the model was read from.</summary>
    public string Source { get; }

    /// <summary>The padding id (<c>&lt;pad&gt;</c>, 0 in T5).</summary>
    public int PadId { get; }

    /// <summary>The end-of-sequence id (<c>&lt;/s&gt;</c>, 1 in T5).</summary>
    public int EosId { get; }

    /// <summary>The id of characters the model cannot spell (<c>&lt;unk&gt;</c>, 2 in T5).</summary>
    public int UnknownId { get; }

    /// <summary>Number of pieces in the SentencePiece model (the model's <c>vocab_size</c> may be larger).</summary>
    public int PieceCount => pieces.Length;

    /// <summary>Encodes one text to piece ids, followed by <see cref="EosId"/> when <paramref name="addEos"/>.</summary>
    public int[] Encode(string text, bool addEos = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = SentencePiece.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
        var result = new int[ids.Count + (addEos ? 1 : 0)];
        for (var i = 0; i < ids.Count; i++) result[i] = ids[i];
        if (addEos) result[^1] = EosId;
        return result;
    }

    /// <summary>The pieces of <see cref="Encode"/> (unknown characters as <c>&lt;unk&gt;</c>, as HF's <c>convert_ids_to_tokens</c> shows them).</summary>
    public string[] Tokenize(string text, bool addEos = true) => Encode(text, addEos).Select(IdToPiece).ToArray();

    /// <summary>The piece of an id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not a piece of this model.</exception>
    public string IdToPiece(int id) =>
        id >= 0 && id < pieces.Length && pieces[id] is { } piece
            ? piece
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Not a piece id of {Source} (0 .. {pieces.Length - 1}).");

    /// <summary>Decodes ids to text; padding, end-of-sequence and ids beyond the pieces (e.g. added tokens) are skipped when
    /// <paramref name="skipSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var kept = skipSpecialTokens ? ids.Where(id => id != PadId && id != EosId && id >= 0 && id < pieces.Length) : ids;
        return SentencePiece.Decode(kept, considerSpecialTokens: !skipSpecialTokens);
    }

    /// <summary>
    /// Encodes a batch as HF does with <c>padding="longest"</c>: each text plus <c>&lt;/s&gt;</c>, right-padded with
    /// <see cref="PadId"/> to the longest; with <paramref name="maxLength"/>, longer texts are cut to
    /// <c>maxLength − 1</c> pieces before their <c>&lt;/s&gt;</c>.
    /// </summary>
    /// <returns>int64 input ids [B, L] and int64 attention mask [B, L] (1 = token, 0 = padding) on <paramref name="device"/>.</returns>
    public (Tensor InputIds, Tensor AttentionMask) EncodeBatch(IReadOnlyList<string> texts, int? maxLength = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("texts is empty.", nameof(texts));
        if (maxLength is < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength must be at least 1.");
        var encoded = texts.Select((t, i) => Encode(t ?? throw new ArgumentException($"texts[{i}] is null.", nameof(texts)))).ToList();
        if (maxLength is { } max)
            encoded = encoded.Select(ids => ids.Length <= max ? ids : [.. ids.Take(max - 1), EosId]).ToList();
        var length = encoded.Max(ids => ids.Length);
        var flatIds = new long[encoded.Count * length];
        var flatMask = new long[encoded.Count * length];
        for (var row = 0; row < encoded.Count; row++)
        {
            for (var col = 0; col < length; col++)
            {
                var inText = col < encoded[row].Length;
                flatIds[row * length + col] = inText ? encoded[row][col] : PadId;
                flatMask[row * length + col] = inText ? 1 : 0;
            }
        }
        var inputIds = tensor(flatIds, [encoded.Count, length], ScalarType.Int64, device);
        var mask = tensor(flatMask, [encoded.Count, length], ScalarType.Int64, device);
        return (inputIds, mask);
    }

    /// <summary>Writes the original SentencePiece model bytes (e.g. <c>spiece.model</c> of a checkpoint folder).</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, modelBytes);
        File.Move(tmp, path, overwrite: true);
    }
}
