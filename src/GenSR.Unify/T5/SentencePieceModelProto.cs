using System.Text;

namespace GenSR.Unify.T5;

/// <summary>
/// Minimal reading and rewriting of a SentencePiece <c>ModelProto</c> (protobuf wire format) — just enough to read
/// the trainer's special-token ids and to give a model without a beginning-of-sentence token (T5's
/// <c>bos_id = -1</c>) one that aliases its padding piece, which Microsoft.ML.Tokenizers 2.0 requires to load a
/// unigram model. The alias never appears in encoded output because T5 adds no beginning-of-sentence token.
/// </summary>
internal static class SentencePieceModelProto
{
    // Field numbers from sentencepiece_model.proto: ModelProto.trainer_spec = 2; TrainerSpec.unk_id = 40,
    // bos_id = 41, eos_id = 42, pad_id = 43, bos_piece = 46, pad_piece = 48.
    private const int TrainerSpecField = 2;
    private const int UnkIdField = 40;
    private const int BosIdField = 41;
    private const int EosIdField = 42;
    private const int PadIdField = 43;
    private const int BosPieceField = 46;
    private const int PadPieceField = 48;

    /// <summary>The special-token ids a model declares (SentencePiece defaults where a field is absent).</summary>
    public sealed record SpecialIds(int Unk, int Bos, int Eos, int Pad, string PadPiece);

    /// <summary>Reads the special-token ids of a serialised model.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public static SpecialIds ReadSpecialIds(byte[] model, string source)
    {
        var spec = FindTrainerSpec(model, source);
        var ids = new SpecialIds(0, 1, 2, -1, "<pad>");
        if (spec is null) return ids;
        foreach (var field in Fields(spec, source))
        {
            ids = field.Number switch
            {
                UnkIdField when field.WireType == 0 => ids with { Unk = (int)field.Varint },
                BosIdField when field.WireType == 0 => ids with { Bos = (int)field.Varint },
                EosIdField when field.WireType == 0 => ids with { Eos = (int)field.Varint },
                PadIdField when field.WireType == 0 => ids with { Pad = (int)field.Varint },
                PadPieceField when field.WireType == 2 => ids with { PadPiece = Encoding.UTF8.GetString(spec, field.PayloadStart, field.PayloadLength) },
                _ => ids,
            };
        }
        return ids;
    }

    /// <summary>Returns the model with <c>bos_id</c>/<c>bos_piece</c> set to <paramref name="aliasId"/>/<paramref name="aliasPiece"/>; every other byte is kept.</summary>
    public static byte[] WithBeginningOfSentence(byte[] model, int aliasId, string aliasPiece, string source)
    {
        using var output = new MemoryStream(model.Length + 16);
        foreach (var field in Fields(model, source))
        {
            if (field.Number != TrainerSpecField || field.WireType != 2)
            {
                output.Write(model, field.Start, field.End - field.Start);
                continue;
            }
            using var spec = new MemoryStream();
            var specBytes = model.AsSpan(field.PayloadStart, field.PayloadLength).ToArray();
            foreach (var inner in Fields(specBytes, source))
                if (inner.Number is not (BosIdField or BosPieceField))
                    spec.Write(specBytes, inner.Start, inner.End - inner.Start);
            WriteVarint(spec, (ulong)(BosIdField << 3));
            WriteVarint(spec, unchecked((ulong)(long)aliasId));
            var piece = Encoding.UTF8.GetBytes(aliasPiece);
            WriteVarint(spec, (ulong)(BosPieceField << 3 | 2));
            WriteVarint(spec, (ulong)piece.Length);
            spec.Write(piece);
            WriteVarint(output, (ulong)(TrainerSpecField << 3 | 2));
            WriteVarint(output, (ulong)spec.Length);
            spec.WriteTo(output);
        }
        return output.ToArray();
    }

    private static byte[]? FindTrainerSpec(byte[] model, string source)
    {
        foreach (var field in Fields(model, source))
            if (field.Number == TrainerSpecField && field.WireType == 2)
                return model.AsSpan(field.PayloadStart, field.PayloadLength).ToArray();
        return null;
    }

    private readonly record struct Field(int Number, int WireType, long Varint, int Start, int End, int PayloadStart, int PayloadLength);

    private static List<Field> Fields(byte[] buffer, string source)
    {
        var fields = new List<Field>();
        var i = 0;
        try
        {
            while (i < buffer.Length)
            {
                var start = i;
                var key = ReadVarint(buffer, ref i);
                var (number, wire) = ((int)(key >> 3), (int)(key & 7));
                long varint = 0;
                int payloadStart = i, payloadLength = 0;
                switch (wire)
                {
                    case 0: varint = (long)ReadVarint(buffer, ref i); break;
                    case 1: i += 8; break;
                    case 5: i += 4; break;
                    case 2:
                        payloadLength = checked((int)ReadVarint(buffer, ref i));
                        payloadStart = i;
                        i += payloadLength;
                        break;
                    default: throw new InvalidDataException($"unsupported wire type {wire}");
                }
                if (i > buffer.Length) throw new InvalidDataException("a field runs past the end");
                fields.Add(new Field(number, wire, varint, start, i, payloadStart, payloadLength));
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or OverflowException or InvalidDataException)
        {
            throw new InvalidDataException($"{source}: not a valid SentencePiece model (malformed protobuf at byte {i}: {e.Message}).", e);
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] buffer, ref int i)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = buffer[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new InvalidDataException("a varint is longer than 10 bytes");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
