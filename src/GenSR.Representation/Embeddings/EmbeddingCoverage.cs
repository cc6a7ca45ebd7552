namespace GenSR.Representation;

/// <summary>How well a set of external vectors covers the catalogue.</summary>
/// <param name="CatalogItemCount">Items in the catalogue.</param>
/// <param name="ProvidedVectorCount">Vectors received (matched or not).</param>
/// <param name="MatchedItemCount">Catalogue items that received a vector.</param>
/// <param name="MissingItemCount">Catalogue items without a vector.</param>
/// <param name="MissingKeys">Keys of the first missing items (at most <see cref="ExternalEmbeddingOptions.ReportedKeyLimit"/>).</param>
/// <param name="UnknownKeyCount">Vectors whose key is not in the catalogue (ignored unless rejected).</param>
/// <param name="UnknownKeys">The first unknown keys (at most <see cref="ExternalEmbeddingOptions.ReportedKeyLimit"/>).</param>
/// <param name="FilledItemCount">Missing items filled with the mean vector (0 unless <see cref="MissingItemPolicy.FillWithMean"/>).</param>
public sealed record EmbeddingCoverage(
    int CatalogItemCount,
    int ProvidedVectorCount,
    int MatchedItemCount,
    int MissingItemCount,
    IReadOnlyList<string> MissingKeys,
    int UnknownKeyCount,
    IReadOnlyList<string> UnknownKeys,
    int FilledItemCount)
{
    /// <summary>Fraction of catalogue items that received a vector, in [0, 1].</summary>
    public double Coverage => CatalogItemCount == 0 ? 1 : (double)MatchedItemCount / CatalogItemCount;

    /// <summary>A one-line summary, e.g. <c>980/1000 items covered (98.0%); 20 missing (e.g. "B01", "B07"); 3 unknown keys (e.g. "X9")</c>.</summary>
    public override string ToString()
    {
        var text = $"{MatchedItemCount}/{CatalogItemCount} items covered ({Coverage:P1})";
        if (MissingItemCount > 0) text += $"; {MissingItemCount} missing ({Sample(MissingKeys, MissingItemCount)})";
        if (FilledItemCount > 0) text += $"; {FilledItemCount} filled with the mean vector";
        if (UnknownKeyCount > 0) text += $"; {UnknownKeyCount} unknown key(s) ignored ({Sample(UnknownKeys, UnknownKeyCount)})";
        return text;
    }

    private static string Sample(IReadOnlyList<string> keys, int total) =>
        "e.g. " + string.Join(", ", keys.Select(k => $"\"{k}\"")) + (total > keys.Count ? ", …" : "");
}
