namespace GenSR.Core;

/// <summary>
/// Writes the query a shopper types to find a demo item: a way of naming its category, sometimes with an
/// attribute, the brand or the colour; for novels and games sometimes the series or game name.
/// </summary>
/// <remarks>
/// The query names what is wanted but rarely who makes it, so several items match it and which one the user
/// picks depends on their brand and price preferences: history helps search as well as recommendation.
/// </remarks>
internal static class DemoQueryWriter
{
    private const double AttributeProbability = 0.35;
    private const double BrandProbability = 0.12;
    private const double VariantProbability = 0.08;
    private const double NameProbability = 0.3;

    /// <summary>A lower-case query for the product.</summary>
    public static string Write(DemoProduct product, DemoLeaf leaf, Random random)
    {
        var phrase = leaf.QueryPhrases[random.Next(leaf.QueryPhrases.Length)];
        var words = new List<string>();
        if (product.SeriesName.Length > 0 && random.NextDouble() < NameProbability)
        {
            words.Add(product.SeriesName.StartsWith("The ", StringComparison.Ordinal) ? product.SeriesName[4..] : product.SeriesName);
            words.Add(leaf.Kind == DemoLeafKind.Expansion
                ? "expansion"
                : leaf.Kind == DemoLeafKind.SeriesBook ? $"book {product.SeriesIndex + 1}" : "board game");
            return Normalise(words);
        }
        if (random.NextDouble() < BrandProbability)
            words.Add(product.Brand);
        if (product.Attributes.Length > 0 && random.NextDouble() < AttributeProbability)
            words.Add(product.Attributes[random.Next(product.Attributes.Length)]);
        words.Add(phrase);
        if (product.Variant.Length > 0 && random.NextDouble() < VariantProbability)
            words.Add(product.Variant);
        return Normalise(words);
    }

    private static string Normalise(List<string> parts)
    {
        var text = string.Join(' ', parts).ToLowerInvariant().Replace('-', ' ').Replace("&", " ", StringComparison.Ordinal);
        return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
