
namespace GenSR.Core;

/// <summary>
/// Simulates demo users: each has latent preferences (two or three favourite category groups, a favourite
/// brand per department, a price tier) and sequential habits (accessories and consumables follow main
/// products, novels follow their series, expansions follow their game), and reaches each item either by a
/// query (search) or without one (recommendation).
/// </summary>
internal sealed class DemoUserSimulator
{
    private const double SequelProbability = 0.6;
    private const double FollowUpProbability = 0.5;
    private const double InterestProbability = 0.85;
    private const double FavouriteBrandBoost = 20;
    private const double SameBrandAsPreviousBoost = 6;
    private const long FirstTimestamp = 1_704_067_200; // 2024-01-01T00:00:00Z
    private static readonly double[] TierShares = [0.3, 0.45, 0.25];

    private readonly IReadOnlyList<DemoProduct> _products;
    private readonly IReadOnlyList<DemoLeaf> _leaves = DemoCatalogBlueprint.Leaves;
    private readonly int[][] _itemsByLeaf;
    private readonly int[][] _leavesByGroup;
    private readonly double[] _groupWeights;
    private readonly double[] _leafWeights;
    private readonly int[][] _followUpLeaves;

    /// <summary>Prepares the simulator for a catalogue.</summary>
    public DemoUserSimulator(IReadOnlyList<DemoProduct> products)
    {
        _products = products;
        _itemsByLeaf = Enumerable.Range(0, _leaves.Count)
            .Select(l => products.Where(p => p.Leaf == l).Select(p => p.ItemId).ToArray())
            .ToArray();
        var groups = _leaves.Select(l => (l.Department, l.Group)).Distinct().ToList();
        _leavesByGroup = groups
            .Select(g => Enumerable.Range(0, _leaves.Count).Where(l => (_leaves[l].Department, _leaves[l].Group) == g).ToArray())
            .ToArray();
        _groupWeights = _leavesByGroup.Select(ls => ls.Sum(l => _leaves[l].Weight)).ToArray();
        // Main products (those with follow-ups) are how an interest usually starts.
        _leafWeights = _leaves.Select(l => l.Weight * (l.FollowUps.Length > 0 ? 2 : 1)).ToArray();
        var byName = Enumerable.Range(0, _leaves.Count).ToDictionary(l => _leaves[l].Name, StringComparer.Ordinal);
        _followUpLeaves = _leaves.Select(l => l.FollowUps.Select(n => byName[n]).ToArray()).ToArray();
    }

    /// <summary>The chronological events of one user.</summary>
    public SrEvent[] Simulate(int userId, int length, double searchFraction, Random random)
    {
        var preferences = DrawPreferences(random);
        var consumed = new HashSet<int>();
        var events = new SrEvent[length];
        var timestamp = FirstTimestamp + random.NextInt64(180L * 86_400);
        var last = -1;
        for (var t = 0; t < length; t++)
        {
            var item = NextItem(last, preferences, consumed, random);
            consumed.Add(item);
            var product = _products[item];
            // Gaps of an hour plus an exponential wait with a mean of three days.
            timestamp += 3_600 + (long)(-Math.Log(1.0 - random.NextDouble()) * 3 * 86_400);
            events[t] = random.NextDouble() < searchFraction
                ? SrEvent.Search(userId, item, DemoQueryWriter.Write(product, _leaves[product.Leaf], random), timestamp)
                : SrEvent.Recommendation(userId, item, timestamp);
            last = item;
        }
        return events;
    }

    private Preferences DrawPreferences(Random random)
    {
        var groupCount = random.NextDouble() < 0.3 ? 3 : 2;
        var weights = (double[])_groupWeights.Clone();
        var groups = new int[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            groups[g] = DemoSampling.Pick(weights, random);
            weights[groups[g]] = 0;
        }
        var brands = new Dictionary<string, string>(StringComparer.Ordinal);
        // Uniform, unlike brand market shares, so that popularity alone cannot tell a user's favourite.
        foreach (var (department, list) in DemoCatalogBlueprint.BrandsByDepartment)
            brands[department] = list[random.Next(list.Length)];
        return new Preferences(groups, brands, DemoSampling.Pick(TierShares, random));
    }

    private int NextItem(int last, Preferences preferences, HashSet<int> consumed, Random random)
    {
        if (last >= 0)
        {
            var previous = _products[last];
            if (previous.Sequel >= 0 && !consumed.Contains(previous.Sequel) && random.NextDouble() < SequelProbability)
                return previous.Sequel;
            var followUps = _followUpLeaves[previous.Leaf];
            if (followUps.Length > 0 && random.NextDouble() < FollowUpProbability)
            {
                var choice = ChooseInLeaf(followUps[random.Next(followUps.Length)], preferences, previous.Brand, consumed, random);
                if (choice >= 0)
                    return choice;
            }
        }
        for (var attempt = 0; ; attempt++)
        {
            int leaf;
            if (attempt < 8 && random.NextDouble() < InterestProbability)
            {
                var group = _leavesByGroup[preferences.Groups[random.Next(preferences.Groups.Length)]];
                leaf = group[DemoSampling.Pick(group.Select(l => _leafWeights[l]).ToArray(), random)];
            }
            else
            {
                leaf = DemoSampling.Pick(_leafWeights, random);
            }
            var choice = ChooseInLeaf(leaf, preferences, null, consumed, random);
            if (choice >= 0)
                return choice;
            if (attempt > 1000)
                throw new InvalidOperationException("The demo user ran out of items; use more items or fewer events per user.");
        }
    }

    /// <summary>An unconsumed item of a leaf, favouring the user's brand and tier, first novels and owned games; −1 when none is left.</summary>
    private int ChooseInLeaf(int leaf, Preferences preferences, string? previousBrand, HashSet<int> consumed, Random random)
    {
        var candidates = _itemsByLeaf[leaf];
        var weights = new double[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            var p = _products[candidates[i]];
            if (consumed.Contains(p.ItemId))
                continue;
            var w = p.Popularity;
            if (p.Brand == preferences.Brands[_leaves[leaf].Department])
                w *= FavouriteBrandBoost;
            if (previousBrand is not null && p.Brand == previousBrand)
                w *= SameBrandAsPreviousBoost;
            var tierGap = Math.Abs(p.Tier - preferences.Tier);
            w *= tierGap == 0 ? 2 : tierGap == 1 ? 1 : 0.5;
            // Series start at book 1; an expansion or later book without its predecessor is unlikely.
            if (p.Prequel >= 0)
                w *= consumed.Contains(p.Prequel) ? 2 : 0.1;
            else if (p.Sequel >= 0 && _leaves[leaf].Kind == DemoLeafKind.SeriesBook)
                w *= 3;
            weights[i] = w;
        }
        var pick = DemoSampling.Pick(weights, random);
        return pick < 0 ? -1 : candidates[pick];
    }

    private sealed record Preferences(int[] Groups, Dictionary<string, string> Brands, int Tier);
}
