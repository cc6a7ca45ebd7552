namespace GenSR.Representation;

/// <summary>Makes fixed-length code sequences unique (see <see cref="CollisionStrategy"/>).</summary>
internal static class CollisionResolver
{
    /// <summary>Entropic regularisation of the Sinkhorn assignment, relative to the largest cost of a prefix.</summary>
    internal const double SinkhornEpsilon = 0.05;

    /// <summary>Sinkhorn iteration limit per prefix.</summary>
    internal const int SinkhornIterations = 1000;

    /// <summary>Largest row-marginal error accepted as converged.</summary>
    internal const double SinkhornTolerance = 1e-3;

    /// <summary>
    /// Resolves collisions in <paramref name="codes"/> (modified in place for re-assignment; a new array per item when a level is appended).
    /// </summary>
    /// <param name="codes">Per item, its code sequence; all of length <paramref name="levelSizes"/>.Count.</param>
    /// <param name="levelSizes">Codes per level.</param>
    /// <param name="strategy">How to resolve.</param>
    /// <param name="lastLevelCosts">For the given items, the cost <c>[items][last level size]</c> of giving each item each last-level
    /// code (the squared distance of its last-level residual to that code's centroid).</param>
    /// <param name="epsilon">Sinkhorn regularisation (relative).</param>
    /// <param name="iterations">Sinkhorn iteration limit.</param>
    public static (int[][] Codes, int[] LevelSizes, CollisionResolutionReport Report) Resolve(
        int[][] codes, int[] levelSizes, CollisionStrategy strategy, Func<int[], double[][]> lastLevelCosts,
        double epsilon = SinkhornEpsilon, int iterations = SinkhornIterations)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(levelSizes);
        var levels = levelSizes.Length;
        foreach (var c in codes)
            if (c.Length != levels) throw new ArgumentException($"Every code sequence must have {levels} levels.", nameof(codes));

        int reassigned = 0, sinkhornPrefixes = 0, greedyPrefixes = 0, overflowing = 0;
        if (strategy == CollisionStrategy.ReassignLastLevel && levels > 0)
            (reassigned, sinkhornPrefixes, greedyPrefixes, overflowing) = ReassignLastLevel(codes, levelSizes[^1], lastLevelCosts, epsilon, iterations);

        var sizes = levelSizes;
        var appended = 0;
        if (!CollisionReport.Measure(codes).IsCollisionFree)
            (codes, sizes, appended) = AppendLevel(codes, levelSizes);

        var after = CollisionReport.Measure(codes);
        // cannot happen: the appended level separates every group
        if (!after.IsCollisionFree) throw new InvalidOperationException($"Collision resolution left collisions: {after}.");
        return (codes, sizes, new CollisionResolutionReport(strategy, reassigned, sinkhornPrefixes, greedyPrefixes, overflowing, appended, after));
    }

    private static (int Reassigned, int Sinkhorn, int Greedy, int Overflowing) ReassignLastLevel(
        int[][] codes, int lastSize, Func<int[], double[][]> lastLevelCosts, double epsilon, int iterations)
    {
        var groups = GroupByCodes(codes);
        var colliding = groups.Values.Where(g => g.Count > 1).ToList();
        if (colliding.Count == 0) return (0, 0, 0, 0);

        var involved = colliding.SelectMany(g => g).ToArray();
        var costRows = lastLevelCosts(involved);
        var costOf = new Dictionary<int, double[]>(involved.Length);
        for (var k = 0; k < involved.Length; k++)
        {
            if (costRows[k].Length != lastSize)
                throw new InvalidOperationException($"Expected {lastSize} last-level costs for item {involved[k]}, got {costRows[k].Length}.");
            costOf[involved[k]] = costRows[k];
        }

        // Codes used under each prefix (all levels but the last), by any item.
        var occupied = new Dictionary<CodeSequence, HashSet<int>>();
        foreach (var c in codes)
        {
            var prefix = Prefix(c);
            if (!occupied.TryGetValue(prefix, out var set)) occupied[prefix] = set = new HashSet<int>();
            set.Add(c[^1]);
        }

        // Per prefix, the items that must move: all of a colliding group but the one closest to the shared centroid.
        var movers = new Dictionary<CodeSequence, List<int>>();
        foreach (var group in colliding)
        {
            var code = codes[group[0]][^1];
            var keeper = group.OrderBy(i => costOf[i][code]).ThenBy(i => i).First();
            var prefix = Prefix(codes[group[0]]);
            if (!movers.TryGetValue(prefix, out var list)) movers[prefix] = list = new List<int>();
            list.AddRange(group.Where(i => i != keeper));
        }

        int reassigned = 0, sinkhorn = 0, greedy = 0, overflowing = 0;
        foreach (var (prefix, items) in movers)
        {
            var used = occupied[prefix];
            var free = Enumerable.Range(0, lastSize).Where(c => !used.Contains(c)).ToArray();
            if (items.Count > free.Length)
            {
                overflowing++;
                continue;
            }
            var cost = items.Select(i => free.Select(c => costOf[i][c]).ToArray()).ToArray();
            int[] assignment;
            if (SinkhornAssignment.TryAssign(cost, epsilon, iterations, SinkhornTolerance, out var balanced))
            {
                assignment = balanced;
                sinkhorn++;
            }
            else
            {
                assignment = SinkhornAssignment.Greedy(cost);
                greedy++;
            }
            for (var k = 0; k < items.Count; k++)
            {
                codes[items[k]][^1] = free[assignment[k]];
                used.Add(free[assignment[k]]);
                reassigned++;
            }
        }
        return (reassigned, sinkhorn, greedy, overflowing);
    }

    private static (int[][] Codes, int[] Sizes, int Appended) AppendLevel(int[][] codes, int[] levelSizes)
    {
        var groups = GroupByCodes(codes);
        var result = new int[codes.Length][];
        var largest = 1;
        foreach (var group in groups.Values)
        {
            group.Sort();
            largest = Math.Max(largest, group.Count);
            for (var k = 0; k < group.Count; k++)
            {
                var item = group[k];
                result[item] = new int[codes[item].Length + 1];
                codes[item].CopyTo(result[item], 0);
                result[item][^1] = k;
            }
        }
        return (result, levelSizes.Append(largest).ToArray(), largest);
    }

    /// <summary>Item ids grouped by their full code sequence, groups in order of first appearance.</summary>
    private static Dictionary<CodeSequence, List<int>> GroupByCodes(int[][] codes)
    {
        var groups = new Dictionary<CodeSequence, List<int>>();
        for (var i = 0; i < codes.Length; i++)
        {
            var k = new CodeSequence(codes[i].ToArray());
            if (!groups.TryGetValue(k, out var list)) groups[k] = list = new List<int>();
            list.Add(i);
        }
        return groups;
    }

    private static CodeSequence Prefix(int[] codes) => new(codes[..^1]);
}
