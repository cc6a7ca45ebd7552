namespace GenSR.Core;

/// <summary>The latent facts behind one demo item, used to simulate users and queries.</summary>
/// <param name="ItemId">Dense item id.</param>
/// <param name="Leaf">Index of the item's leaf in <see cref="DemoCatalogBlueprint.Leaves"/>.</param>
/// <param name="Brand">Brand or publisher.</param>
/// <param name="Tier">Price tier: 0 budget, 1 standard, 2 premium.</param>
/// <param name="Attributes">The attributes named in the title.</param>
/// <param name="Variant">Colour or size; empty when none.</param>
/// <param name="SeriesName">Series (novels) or game name (games and expansions); empty otherwise.</param>
/// <param name="SeriesIndex">0-based position in a series of novels; 0 otherwise.</param>
/// <param name="Popularity">Baseline appeal (log-normal, mean about 1.4).</param>
internal sealed record DemoProduct(
    int ItemId, int Leaf, string Brand, int Tier, string[] Attributes, string Variant, string SeriesName, int SeriesIndex, double Popularity)
{
    /// <summary>The item that naturally comes next (the next novel of the series, a game's expansion), or −1.</summary>
    public int Sequel { get; set; } = -1;

    /// <summary>The item this one naturally follows (previous novel, the base game), or −1.</summary>
    public int Prequel { get; set; } = -1;
}
