using System.Text.Json;

namespace GenSR.Core;

/// <summary>
/// Reads a file that holds one JSON object, <c>{"key": value, ...}</c>, one property (record) at a time: each value is
/// parsed into its own small document, so memory grows with the largest record, not with the file. Errors are
/// <see cref="DatasetFormatException"/>s naming the file and the line, or the record.
/// </summary>
internal static class JsonObjectRecords
{
    /// <summary>The read buffer's first size; it grows to hold a record that does not fit.</summary>
    internal const int DefaultBufferSize = 1 << 16;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    private enum Phase { BeforeRoot, InRoot, Value, AfterRoot }

    /// <summary>
    /// Calls <paramref name="onRecord"/> with the 1-based record number, the key and the value of every property of the
    /// file's root object, in file order. The value is valid only during the call.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">What the file should hold, for messages.</param>
    /// <param name="onRecord">Called once per record.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <param name="bufferSize">The first buffer size (small values exercise records that span reads).</param>
    /// <exception cref="DatasetFormatException">The file is missing, unreadable, empty, not one JSON object, or has invalid JSON.</exception>
    public static void Read(string path, string expected, Action<int, string, JsonElement> onRecord, CancellationToken cancellationToken = default,
                            int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4);
        FileStream stream;
        try
        {
            stream = JsonFieldReader.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(path, null, JsonFieldReader.Unreadable(ex), ex);
        }

        using (stream)
        {
            var input = new Input(stream, bufferSize);
            try
            {
                ReadRecords(input, path, expected, onRecord, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new DatasetFormatException(path, null, JsonFieldReader.Unreadable(ex), ex);
            }
        }
    }

    private static void ReadRecords(Input input, string path, string expected, Action<int, string, JsonElement> onRecord, CancellationToken cancellationToken)
    {
        var state = new JsonReaderState(ReaderOptions);
        var phase = Phase.BeforeRoot;
        var records = 0;
        string? key = null;
        input.Fill();
        while (true)
        {
            if (phase is Phase.BeforeRoot or Phase.AfterRoot)
            {
                // Whitespace around the root (and a UTF-8 byte-order mark, skipped by Input) is dropped here, so a
                // blank file never grows the buffer and is reported as empty.
                input.SkipWhitespace();
                if (input.Count == 0)
                {
                    if (input.Final)
                    {
                        if (phase == Phase.AfterRoot) return;
                        throw new DatasetFormatException(path, null, $"the file is empty; expected {expected}.");
                    }
                    input.Fill();
                    continue;
                }
            }

            var reader = new Utf8JsonReader(input.Span, input.Final, state);
            var needMore = false;
            try
            {
                while (!needMore)
                {
                    switch (phase)
                    {
                        case Phase.BeforeRoot:
                            if (!reader.Read()) { needMore = true; break; }
                            if (reader.TokenType != JsonTokenType.StartObject)
                                throw new DatasetFormatException(path, null, $"the file holds {Describe(reader.TokenType)}; expected {expected}.");
                            phase = Phase.InRoot;
                            break;
                        case Phase.InRoot:
                            if (!reader.Read()) { needMore = true; break; }
                            if (reader.TokenType == JsonTokenType.EndObject)
                            {
                                phase = Phase.AfterRoot;
                                break;
                            }
                            // Inside an object the reader yields only property names or the end.
                            if (records % 4096 == 0)
                                cancellationToken.ThrowIfCancellationRequested();
                            key = JsonFieldReader.Name(ref reader, path, $"record {records + 1}");
                            phase = Phase.Value;
                            break;
                        case Phase.Value:
                            if (!JsonDocument.TryParseValue(ref reader, out var document)) { needMore = true; break; }
                            using (document)
                            {
                                records++;
                                onRecord(records, key!, document!.RootElement);
                            }
                            phase = Phase.InRoot;
                            break;
                        case Phase.AfterRoot:
                            // Whitespace may follow the root; anything else the reader rejects as a JsonException.
                            if (reader.Read())
                                throw new DatasetFormatException(path, null, $"the file has more after its object; expected {expected}.");
                            if (input.Final) return;
                            needMore = true;
                            break;
                    }
                }
            }
            catch (JsonException ex)
            {
                var line = (ex.LineNumber ?? 0) + 1;
                var column = (ex.BytePositionInLine ?? 0) + 1;
                throw new DatasetFormatException(path, $"line {line}, byte {column}",
                    $"invalid JSON ({JsonFieldReader.FirstSentence(ex.Message)}); expected {expected}.", ex);
            }

            // The reader ran out of data in the middle of a token or a record.
            var consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            input.Advance(consumed);
            if (input.Final)
                throw new DatasetFormatException(path, null, $"the file ends in the middle of the JSON; expected {expected}.");
            input.Fill(grow: consumed == 0);
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    /// <summary>A window over the file: bytes [start, end) of the buffer are read and not yet consumed.</summary>
    private sealed class Input(FileStream stream, int bufferSize)
    {
        private byte[] _buffer = new byte[bufferSize];
        private int _start;
        private int _end;
        private bool _bomChecked;

        // Never past the length stated at opening: a device file behind a link would otherwise never end.
        private long _left = stream.CanSeek ? stream.Length : 0;

        public bool Final { get; private set; }

        public int Count => _end - _start;

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

        public void Advance(int bytes) => _start += bytes;

        public void SkipWhitespace()
        {
            while (_start < _end && _buffer[_start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _start++;
        }

        /// <summary>Moves the unconsumed bytes to the front and reads more; with <paramref name="grow"/> (no progress
        /// was possible) and a full buffer, doubles the buffer first.</summary>
        public void Fill(bool grow = false)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (grow && _end == _buffer.Length)
            {
                if (_buffer.Length >= Array.MaxLength)
                    throw new IOException("a record is larger than one buffer can hold.");
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, Array.MaxLength));
            }
            while (_end < _buffer.Length && _left > 0)
            {
                var read = stream.Read(_buffer, _end, (int)Math.Min(_buffer.Length - _end, _left));
                if (read == 0)
                {
                    _left = 0;
                    break;
                }
                _end += read;
                _left -= read;
            }
            Final = _left == 0;
            if (!_bomChecked && (_end >= 3 || Final))
            {
                _bomChecked = true;
                // A UTF-8 byte-order mark is skipped, as every loader does.
                if (_buffer.AsSpan(0, _end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _start = 3;
            }
        }
    }
}
