using System.Text;

namespace GenSR.Core;

/// <summary>
/// Minimal reading and rewriting of a serialized SentencePiece <c>ModelProto</c> (protobuf wire format).
/// </summary>
/// <remarks>
/// Why: T5 models declare no beginning-of-sentence piece (<c>trainer_spec.bos_id = -1</c>), and
/// Microsoft.ML.Tokenizers 2.0.1 indexes its piece table with that id while loading a unigram model, which throws
/// <see cref="IndexOutOfRangeException"/>. Pointing <c>bos_id</c> at an existing control piece (pad, else eos) makes the
/// model load; since we never ask the tokenizer to add a beginning-of-sentence token, encoding is unchanged.
/// </remarks>
public static class SentencePieceModelBytes
{
    private const int PiecesField = 1;
    private const int TrainerSpecField = 2;
    private const int PieceTextField = 1;
    private const int UnkIdField = 40;
    private const int BosIdField = 41;
    private const int EosIdField = 42;
    private const int PadIdField = 43;
    private const int BosPieceField = 46;

    /// <summary>Returns <paramref name="model"/> unchanged when it declares a beginning-of-sentence piece, else a copy whose
    /// <c>bos_id</c>/<c>bos_piece</c> name the pad piece (or the eos piece when there is no pad).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model.</exception>
    public static byte[] WithBosPiece(byte[] model, string source)
    {
        var fields = ReadFields(model, source);
        var specField = fields.LastOrDefault(f => f.Number == TrainerSpecField && f.WireType == 2);
        if (specField.End == 0) return model;
        var spec = model.AsSpan(specField.ValueStart, specField.End - specField.ValueStart).ToArray();
        var (unk, bos, eos, pad) = ReadTrainerSpecIds(spec, source);
        if (bos >= 0) return model;

        var pieces = fields.Where(f => f.Number == PiecesField && f.WireType == 2).ToArray();
        var replacement = pad >= 0 && pad < pieces.Length ? pad : eos >= 0 && eos < pieces.Length ? eos : unk;
        if (replacement < 0 || replacement >= pieces.Length)
            throw new InvalidDataException($"{source}: the SentencePiece model has {pieces.Length} pieces but no valid pad, eos or unk id.");
        var pieceText = PieceText(model, pieces[replacement], source);

        // Later occurrences of a scalar field win in protobuf, so appending overrides bos_id and bos_piece.
        var newSpec = new MemoryStream();
        newSpec.Write(spec);
        WriteVarint(newSpec, (ulong)BosIdField << 3);
        WriteVarint(newSpec, (ulong)replacement);
        var pieceBytes = Encoding.UTF8.GetBytes(pieceText);
        WriteVarint(newSpec, ((ulong)BosPieceField << 3) | 2);
        WriteVarint(newSpec, (ulong)pieceBytes.Length);
        newSpec.Write(pieceBytes);

        var result = new MemoryStream(model.Length + 32);
        foreach (var f in fields)
        {
            if (f.Start == specField.Start)
            {
                WriteVarint(result, ((ulong)TrainerSpecField << 3) | 2);
                WriteVarint(result, (ulong)newSpec.Length);
                newSpec.Position = 0;
                newSpec.CopyTo(result);
            }
            else
            {
                result.Write(model, f.Start, f.End - f.Start);
            }
        }
        return result.ToArray();
    }

    /// <summary>The special-piece ids a SentencePiece model declares in its trainer spec (proto2 defaults where absent:
    /// unk 0, bos 1, eos 2, pad -1; -1 means none).</summary>
    /// <param name="model">The serialized model.</param>
    /// <param name="source">Name of the model for error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model.</exception>
    public static SentencePieceSpecialIds ReadSpecialIds(byte[] model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        var specField = ReadFields(model, source).LastOrDefault(f => f.Number == TrainerSpecField && f.WireType == 2);
        if (specField.End == 0) return new SentencePieceSpecialIds(0, 1, 2, -1);
        var (unk, bos, eos, pad) = ReadTrainerSpecIds(model.AsSpan(specField.ValueStart, specField.End - specField.ValueStart).ToArray(), source);
        return new SentencePieceSpecialIds((int)unk, (int)bos, (int)eos, (int)pad);
    }

    private static (long Unk, long Bos, long Eos, long Pad) ReadTrainerSpecIds(byte[] spec, string source)
    {
        // Proto2 defaults of TrainerSpec: unk 0, bos 1, eos 2, pad -1.
        long unk = 0, bos = 1, eos = 2, pad = -1;
        foreach (var f in ReadFields(spec, source))
        {
            if (f.WireType != 0) continue;
            var value = (long)ReadVarint(spec, f.ValueStart, out _, source);
            switch (f.Number)
            {
                case UnkIdField: unk = (int)value; break;
                case BosIdField: bos = (int)value; break;
                case EosIdField: eos = (int)value; break;
                case PadIdField: pad = (int)value; break;
            }
        }

        return (unk, bos, eos, pad);
    }

    private static string PieceText(byte[] model, Field piece, string source)
    {
        var bytes = model.AsSpan(piece.ValueStart, piece.End - piece.ValueStart).ToArray();
        foreach (var f in ReadFields(bytes, source))
            if (f.Number == PieceTextField && f.WireType == 2)
                return Encoding.UTF8.GetString(bytes, f.ValueStart, f.End - f.ValueStart);
        throw new InvalidDataException($"{source}: a SentencePiece piece has no text.");
    }

    private static List<Field> ReadFields(byte[] bytes, string source)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < bytes.Length)
        {
            var start = i;
            var key = ReadVarint(bytes, i, out i, source);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            var valueStart = i;
            switch (wireType)
            {
                case 0: ReadVarint(bytes, i, out i, source); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = ReadVarint(bytes, i, out i, source);
                    if (length > (ulong)(bytes.Length - i)) throw Malformed(source);
                    valueStart = i;
                    i += (int)length;
                    break;
                default: throw Malformed(source);
            }
            if (i > bytes.Length || number == 0) throw Malformed(source);
            fields.Add(new Field(number, wireType, start, valueStart, i));
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] bytes, int i, out int next, string source)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= bytes.Length) throw Malformed(source);
            var b = bytes[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                next = i;
                return value;
            }
        }
        throw Malformed(source);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static InvalidDataException Malformed(string source) =>
        new($"{source}: not a SentencePiece model (malformed protobuf).");

    private readonly record struct Field(int Number, int WireType, int Start, int ValueStart, int End);
}
