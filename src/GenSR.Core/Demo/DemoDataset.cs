using System.Globalization;

namespace GenSR.Core;

/// <summary>
/// The embedded demo dataset: a seeded, file-free generator of a small online shop with learnable structure,
/// the default dataset of the quickstart and the tests.
/// </summary>
/// <remarks>
/// <para>Catalogue: a three-level category tree (e.g. <c>Electronics &gt; Cameras &gt; Digital Cameras</c>,
/// <c>Books &gt; Fiction &gt; Fantasy</c>), brands per department, titles made of brand, product line, attributes,
/// the product noun and a variant (<c>Acme NovaWave 340 Wireless Noise-Cancelling Headphones, Black</c>),
/// descriptions with a price tier and price; novels in series of three and board games with one expansion each.</para>
/// <para>Users: two or three favourite category groups, a favourite brand per department and a price tier;
/// habits: accessories and consumables follow main products (a camera, then a lens or a memory card, often of
/// the same brand), the next novel of a series follows the previous one, an expansion follows its game.</para>
/// <para>Search events carry queries written like real ones (a category phrase, sometimes an attribute, the
/// brand, the colour, or a series name); the item a query leads to still depends on the user's preferences,
/// so history helps search as well as recommendation. Every event has a timestamp; items are never repeated
/// within a user's history.</para>
/// </remarks>
public static class DemoDataset
{
    /// <summary>The name of generated datasets.</summary>
    public const string Name = "demo";

    /// <summary>Generates the dataset; the same options always give the same dataset (in well under a second at the defaults).</summary>
    /// <param name="options">Options; <c>null</c> for the defaults (1,000 users, 500 items, 15–20 events per user, half of them searches).</param>
    /// <returns>The dataset, named <see cref="Name"/>.</returns>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="DemoDatasetOptions"/>).</exception>
    public static SrDataset Generate(DemoDatasetOptions? options = null)
    {
        options ??= new DemoDatasetOptions();
        options.Validate();
        var random = new Random(options.Seed);
        var (items, products) = DemoCatalogGenerator.Generate(options.Items, random);
        var simulator = new DemoUserSimulator(products);
        var keyWidth = Math.Max(4, options.Users.ToString(CultureInfo.InvariantCulture).Length);
        var users = new User[options.Users];
        var histories = new IReadOnlyList<SrEvent>[options.Users];
        for (var u = 0; u < options.Users; u++)
        {
            users[u] = new User(u, "user-" + (u + 1).ToString(CultureInfo.InvariantCulture).PadLeft(keyWidth, '0'));
            var length = random.Next(options.MinEventsPerUser, options.MaxEventsPerUser + 1);
            histories[u] = simulator.Simulate(u, length, options.SearchFraction, random);
        }
        return new SrDataset(Name, new ItemCatalog(items), users, histories);
    }
}
