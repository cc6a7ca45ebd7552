using System.Text;

namespace GenSR.Core;

/// <summary>
/// Streams the non-blank lines of a text file with their 1-based numbers. Lines are split as bytes and decoded one by
/// one, so that memory grows with the longest line, not with the file, and a decoding error names its line.
/// </summary>
internal static class TextLines
{
    /// <summary>Strict UTF-8: invalid bytes are an error, not a replacement character.</summary>
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The non-blank lines of a file, without their line break (<c>\n</c> or <c>\r\n</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="encoding">The text encoding; a UTF-8 byte-order mark at the start is skipped whatever it is.</param>
    /// <param name="missing">The message when the file does not exist.</param>
    /// <param name="empty">The message when the file has no non-blank line.</param>
    /// <param name="cancellationToken">Checked every 4,096 lines.</param>
    public static IEnumerable<(int LineNumber, string Line)> Read(string path, Encoding encoding, string missing, string empty,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, null, missing);
        FileStream stream;
        try
        {
            stream = JsonFieldReader.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(path, null, JsonFieldReader.Unreadable(ex), ex);
        }
        return Lines(stream, path, encoding, empty, cancellationToken);
    }

    private static IEnumerable<(int LineNumber, string Line)> Lines(FileStream stream, string path, Encoding encoding, string empty,
        CancellationToken cancellationToken)
    {
        using (stream)
        {
            var buffer = new byte[1 << 16];
            var line = new MemoryStream();
            var lineNumber = 0;
            var any = false;
            var left = stream.Length;
            while (true)
            {
                // Never past the length stated at opening: a device file behind a link would otherwise never end.
                int read;
                try
                {
                    read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, Math.Max(0, left)));
                }
                catch (IOException ex)
                {
                    throw new DatasetFormatException(path, null, JsonFieldReader.Unreadable(ex), ex);
                }
                left -= read;
                var start = 0;
                for (var i = 0; i <= read; i++)
                {
                    var endOfFile = read == 0;
                    if (i < read && buffer[i] != (byte)'\n')
                        continue;
                    line.Write(buffer, start, i - start);
                    start = i + 1;
                    if (i == read && !endOfFile)
                        break;
                    lineNumber++;
                    if (lineNumber % 4096 == 0)
                        cancellationToken.ThrowIfCancellationRequested();
                    var text = Decode(encoding, line, path, lineNumber, skipBom: lineNumber == 1);
                    line.SetLength(0);
                    if (string.IsNullOrWhiteSpace(text))
                        continue;
                    any = true;
                    yield return (lineNumber, text);
                }
                if (read == 0)
                    break;
            }
            if (!any)
                throw new DatasetFormatException(path, null, empty);
        }
    }

    private static string Decode(Encoding encoding, MemoryStream line, string path, int lineNumber, bool skipBom)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (skipBom && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new DatasetFormatException(path, $"line {lineNumber}",
                $"the line is not valid {encoding.WebName.ToUpperInvariant()}; expected {encoding.WebName.ToUpperInvariant()} text.", ex);
        }
    }
}
