using System.Globalization;

namespace GenSR.Core;

/// <summary>Makes the demo catalogue: items spread over the blueprint's leaves, with brands, tiers, attributes and series.</summary>
internal static class DemoCatalogGenerator
{
    private static readonly double[] TierShares = [0.3, 0.45, 0.25];
    private static readonly double[] TierPriceFactors = [0.6, 1.0, 1.8];
    private static readonly string[] TierSentences = ["A budget choice.", "A solid all-rounder.", "A premium model."];
    private const int NovelsPerSeries = 3;

    /// <summary>Generates the items and their latent facts (same index = same item).</summary>
    public static (List<Item> Items, List<DemoProduct> Products) Generate(int itemCount, Random random)
    {
        var leaves = DemoCatalogBlueprint.Leaves;
        var counts = AllocateCounts(itemCount);
        var items = new List<Item>(itemCount);
        var products = new List<DemoProduct>(itemCount);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        var keyWidth = Math.Max(4, itemCount.ToString(CultureInfo.InvariantCulture).Length);
        var expansionLeaf = IndexOfKind(DemoLeafKind.Expansion);
        var baseGames = new List<DemoProduct>();

        for (var l = 0; l < leaves.Count; l++)
        {
            var leaf = leaves[l];
            var brands = DemoCatalogBlueprint.BrandsByDepartment[leaf.Department];
            switch (leaf.Kind)
            {
                case DemoLeafKind.Product:
                    for (var j = 0; j < counts[l]; j++)
                        AddProduct(l, leaf, brands, random);
                    break;
                case DemoLeafKind.SeriesBook:
                    var (adjectives, nouns) = DemoCatalogBlueprint.SeriesWords[leaf.Name];
                    var seriesNames = DistinctNames(adjectives, nouns, (counts[l] + NovelsPerSeries - 1) / NovelsPerSeries, random);
                    var seriesPublisher = string.Empty;
                    for (var j = 0; j < counts[l]; j++)
                    {
                        var series = $"The {seriesNames[j / NovelsPerSeries]}";
                        var index = j % NovelsPerSeries;
                        if (index == 0)
                            seriesPublisher = PickBrand(brands, random);
                        var publisher = seriesPublisher;
                        var title = $"{series}, Book {index + 1}";
                        var description = $"Book {index + 1} of {series}, a {leaf.Name.ToLowerInvariant()} series published by {publisher}. " +
                            $"Paperback, {Price(leaf, 1, random)}.";
                        var product = Add(l, leaf, publisher, 1, [], string.Empty, series, index, title, description, random);
                        if (index > 0)
                            Link(products[^2], product);
                    }
                    break;
                case DemoLeafKind.BaseGame:
                    var (gameAdjectives, gameNouns, _) = DemoCatalogBlueprint.GameWords;
                    foreach (var name in DistinctNames(gameAdjectives, gameNouns, counts[l], random))
                    {
                        var gamePublisher = PickBrand(brands, random);
                        var tier = PickTier(random);
                        var description =
                            $"{name}, a strategy board game for 2 to 4 players by {gamePublisher}. {TierSentences[tier]} Price {Price(leaf, tier, random)}.";
                        baseGames.Add(Add(l, leaf, gamePublisher, tier, [], string.Empty, name, 0, $"{name} {leaf.Noun}", description, random));
                    }
                    break;
                case DemoLeafKind.Expansion:
                    break;
            }
        }

        // Expansions come after all leaves so that each base game is known; one per game, same publisher.
        var expansions = DemoCatalogBlueprint.GameWords.Expansions;
        for (var g = 0; g < baseGames.Count; g++)
        {
            var game = baseGames[g];
            var subtitle = expansions[random.Next(expansions.Length)];
            var leaf = leaves[expansionLeaf];
            var description = $"Expansion for {game.SeriesName} adding {subtitle.ToLowerInvariant()} to the base game; needs {game.SeriesName}. By " +
                $"{game.Brand}, {Price(leaf, game.Tier, random)}.";
            var expansion = Add(expansionLeaf, leaf, game.Brand, game.Tier, [], string.Empty, game.SeriesName, 1, $"{game.SeriesName}: {subtitle} {leaf.Noun}",
                description, random);
            Link(game, expansion);
        }
        return (items, products);

        void AddProduct(int l, DemoLeaf leaf, string[] brands, Random r)
        {
            var brand = PickBrand(brands, r);
            var tier = PickTier(r);
            var attributes = PickAttributes(leaf.Attributes, r);
            var variant = leaf.Variants.Length == 0 ? string.Empty : leaf.Variants[r.Next(leaf.Variants.Length)];
            string title;
            do
            {
                var line = DemoCatalogBlueprint.LinePrefixes[r.Next(DemoCatalogBlueprint.LinePrefixes.Length)]
                    + DemoCatalogBlueprint.LineSuffixes[r.Next(DemoCatalogBlueprint.LineSuffixes.Length)];
                var model = (r.Next(1, 90) * 10).ToString(CultureInfo.InvariantCulture);
                title = $"{brand} {line} {model} {string.Join(' ', attributes)} {leaf.Noun}{(variant.Length > 0 ? ", " + variant : string.Empty)}";
            }
            while (titles.Contains(title));
            var features = string.Join(", ", attributes.Select(a => a.ToLowerInvariant()));
            var colour = variant.Length > 0 ? $" Variant: {variant.ToLowerInvariant()}." : string.Empty;
            var description =
                $"{Capitalise(features)} {leaf.Noun.ToLowerInvariant()} from {brand}. {TierSentences[tier]}{colour} Price {Price(leaf, tier, r)}.";
            Add(l, leaf, brand, tier, attributes, variant, string.Empty, 0, title, description, r);
        }

        DemoProduct Add(int l, DemoLeaf leaf, string brand, int tier, string[] attributes, string variant, string series, int seriesIndex, string title,
            string description, Random r)
        {
            var id = items.Count;
            titles.Add(title);
            var key = "item-" + id.ToString(CultureInfo.InvariantCulture).PadLeft(keyWidth, '0');
            items.Add(new Item(id, key, title, description, brand, [leaf.Department, leaf.Group, leaf.Name]));
            var product = new DemoProduct(id, l, brand, tier, attributes, variant, series, seriesIndex, Math.Exp(0.5 * Gaussian(r)));
            products.Add(product);
            return product;
        }
    }

    /// <summary>Items per leaf: proportional to leaf weights (base games count twice, for their expansions), at least 2, summing to
    /// <paramref name="itemCount"/>.</summary>
    private static int[] AllocateCounts(int itemCount)
    {
        var leaves = DemoCatalogBlueprint.Leaves;
        var shares = leaves.Select(l => l.Kind == DemoLeafKind.BaseGame ? 2 * l.Weight : l.Weight).ToArray();
        var total = shares.Sum();
        var counts = new int[leaves.Count];
        var expansionLeaf = IndexOfKind(DemoLeafKind.Expansion);
        var gameLeaf = IndexOfKind(DemoLeafKind.BaseGame);
        for (var l = 0; l < leaves.Count; l++)
        {
            if (l == expansionLeaf)
                continue;
            var target = itemCount * shares[l] / total;
            counts[l] = Math.Max(2, (int)Math.Round(l == gameLeaf ? target / 2 : target));
        }
        counts[expansionLeaf] = counts[gameLeaf];
        // Largest-remainder style correction on the freely sized leaves until the total is exact.
        while (counts.Sum() != itemCount)
        {
            var grow = counts.Sum() < itemCount;
            var best = -1;
            var bestGap = double.NegativeInfinity;
            for (var l = 0; l < leaves.Count; l++)
            {
                if (l == expansionLeaf || l == gameLeaf || (!grow && counts[l] <= 2))
                    continue;
                var gap = (itemCount * shares[l] / total - counts[l]) * (grow ? 1 : -1);
                if (gap > bestGap)
                {
                    bestGap = gap;
                    best = l;
                }
            }
            counts[best] += grow ? 1 : -1;
        }
        return counts;
    }

    private static int IndexOfKind(DemoLeafKind kind)
    {
        var leaves = DemoCatalogBlueprint.Leaves;
        for (var l = 0; l < leaves.Count; l++)
            if (leaves[l].Kind == kind)
                return l;
        throw new InvalidOperationException($"The demo blueprint has no {kind} leaf.");
    }

    private static void Link(DemoProduct first, DemoProduct next)
    {
        first.Sequel = next.ItemId;
        next.Prequel = first.ItemId;
    }

    /// <summary>Brands are not equally common: the first of a department's list is the market leader.</summary>
    private static string PickBrand(string[] brands, Random random)
    {
        var weights = brands.Select((_, r) => 1.0 / Math.Sqrt(r + 1)).ToArray();
        return brands[DemoSampling.Pick(weights, random)];
    }

    private static int PickTier(Random random) => DemoSampling.Pick(TierShares, random);

    // One attribute per item: a leaf's attributes are often alternatives ("Over-Ear", "On-Ear"), never to be combined.
    private static string[] PickAttributes(string[] attributes, Random random) => [attributes[random.Next(attributes.Length)]];

    private static List<string> DistinctNames(string[] adjectives, string[] nouns, int count, Random random)
    {
        var all = adjectives.SelectMany(a => nouns.Select(n => $"{a} {n}")).ToArray();
        for (var i = all.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (all[i], all[j]) = (all[j], all[i]);
        }
        // More names than combinations only happens for very large catalogues; numbered repeats keep them distinct.
        return Enumerable.Range(0, count).Select(i => i < all.Length ? all[i] : $"{all[i % all.Length]} {i / all.Length + 1}").ToList();
    }

    private static string Price(DemoLeaf leaf, int tier, Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"${leaf.BasePrice * TierPriceFactors[tier] * (0.85 + 0.3 * random.NextDouble()):F2}");

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static double Gaussian(Random random)
    {
        // Box-Muller transform.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
