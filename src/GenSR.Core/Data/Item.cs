namespace GenSR.Core;

/// <summary>An item of the catalogue.</summary>
/// <param name="Id">Dense id, <c>0 … catalogue size − 1</c>; the row of the item in every embedding matrix.</param>
/// <param name="Key">The item's external key in the source data (e.g. an ASIN or a MovieLens movie id).</param>
/// <param name="Title">Title; may be empty when the source has none (loaders report such items).</param>
/// <param name="Description">Free-text description; empty when unknown.</param>
/// <param name="Brand">Brand or maker; empty when unknown.</param>
/// <param name="Categories">Category path from the most general to the most specific (root category excluded by loaders that know it).</param>
public sealed record Item(int Id, string Key, string Title, string Description, string Brand, IReadOnlyList<string> Categories)
{
    /// <summary>Title, brand and categories joined into one text, the input of text encoders.</summary>
    public string Text =>
        string.Join(" ", new[] { Title, Brand, string.Join(" ", Categories) }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
