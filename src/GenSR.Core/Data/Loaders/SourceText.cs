using System.Net;

namespace GenSR.Core;

/// <summary>Cleans text fields of scraped sources (Amazon metadata): HTML entities and surrounding space.</summary>
internal static class SourceText
{
    /// <summary>Decodes HTML entities (&amp;amp; &amp;quot; &amp;#39; …) and trims; <c>null</c> becomes empty.</summary>
    public static string Clean(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
            return string.Empty;
        var text = raw;
        // Some Amazon metadata is encoded twice ("&amp;amp;"); decode until stable, a few rounds at most.
        for (var round = 0; round < 3 && text.Contains('&'); round++)
        {
            var decoded = WebUtility.HtmlDecode(text);
            if (decoded == text)
                break;
            text = decoded;
        }
        return text.Trim();
    }
}
