namespace GenSR.Core;

/// <summary>Splits the category strings of Amazon-style metadata into paths and drops a shared root.</summary>
internal static class CategoryPathParser
{
    /// <summary>
    /// Finds the separator a dataset uses, looking at all of its category strings at once: one string
    /// alone cannot tell "A,B, C" (separator "," with a segment "B, C") from "A, B, C".
    /// </summary>
    public static CategorySeparator DetectSeparator(IEnumerable<string> rawPaths)
    {
        var sawCommaSpace = false;
        foreach (var raw in rawPaths)
        {
            if (raw.Contains(" > ", StringComparison.Ordinal))
                return CategorySeparator.GreaterThan;
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != ',')
                    continue;
                if (i + 1 < raw.Length && raw[i + 1] == ' ')
                    sawCommaSpace = true;
                else if (i + 1 < raw.Length)
                    return CategorySeparator.Comma;
            }
        }
        return sawCommaSpace ? CategorySeparator.CommaSpace : CategorySeparator.Comma;
    }

    /// <summary>Splits one category string into trimmed, entity-decoded, non-empty segments.</summary>
    public static List<string> Split(string raw, CategorySeparator separator)
    {
        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i < raw.Length && !IsSeparatorAt(raw, i, separator))
                continue;
            AddSegment(segments, raw[start..i]);
            start = i + 1;
        }
        return segments;
    }

    /// <summary>Cleans already separated segments (e.g. from a JSON array).</summary>
    public static List<string> FromSegments(IEnumerable<string> rawSegments)
    {
        var segments = new List<string>();
        foreach (var raw in rawSegments)
            AddSegment(segments, raw);
        return segments;
    }

    /// <summary>
    /// Removes the first segment when every non-empty path starts with the same one (e.g. "Industrial &amp;
    /// Scientific" in an Amazon category dataset) and at least one path goes deeper than it.
    /// </summary>
    /// <returns>The dropped root, or <c>null</c> when the paths have no shared root.</returns>
    public static string? DropSharedRoot(IList<List<string>> paths)
    {
        string? root = null;
        var nonEmpty = 0;
        var deeper = false;
        foreach (var path in paths)
        {
            if (path.Count == 0)
                continue;
            nonEmpty++;
            deeper |= path.Count > 1;
            if (root is null)
                root = path[0];
            else if (!string.Equals(root, path[0], StringComparison.Ordinal))
                return null;
        }
        if (root is null || nonEmpty < 2 || !deeper)
            return null;
        foreach (var path in paths)
            if (path.Count > 0)
                path.RemoveAt(0);
        return root;
    }

    private static bool IsSeparatorAt(string raw, int i, CategorySeparator separator) => separator switch
    {
        CategorySeparator.Comma => raw[i] == ',' && !(i + 1 < raw.Length && raw[i + 1] == ' '),
        CategorySeparator.CommaSpace => raw[i] == ',',
        CategorySeparator.GreaterThan => raw[i] == '>',
        _ => false,
    };

    private static void AddSegment(List<string> segments, string raw)
    {
        // Entities are decoded after splitting so that an encoded comma ("&#44;") never splits a segment.
        var segment = SourceText.Clean(raw);
        if (segment.Length > 0)
            segments.Add(segment);
    }
}
