namespace GenSR.Core;

/// <summary>Stop-word lists for query synthesis.</summary>
public static class QueryStopWords
{
    /// <summary>
    /// Common English function words (articles, prepositions, conjunctions, pronouns, auxiliaries), lower-case.
    /// Category names are short noun phrases, so this short list removes what carries no meaning there
    /// ("Tapes, Adhesives &amp; Sealants" → tapes adhesives sealants).
    /// </summary>
    public static IReadOnlySet<string> English { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "nor", "but", "of", "for", "to", "in", "on", "at", "by", "with", "without",
        "from", "into", "onto", "over", "under", "up", "down", "out", "off", "about", "as", "per", "via", "than",
        "then", "so", "if", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "has",
        "have", "had", "it", "its", "this", "that", "these", "those", "there", "here", "i", "me", "my", "we", "our",
        "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "what", "which", "who", "whom",
        "all", "any", "both", "each", "few", "more", "most", "other", "others", "some", "such", "no", "not", "only",
        "own", "same", "too", "very", "can", "will", "just", "should", "now", "etc", "s", "t",
    };
}
