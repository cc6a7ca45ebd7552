
namespace GenSR.Representation.Tests.Collaborative;

/// <summary>
/// Small generated interaction data with real structure: users and items belong to clusters, users mostly pick items
/// of their own cluster (with a skew towards some items), sometimes a globally popular item. One extra draw per user is
/// held out as the validation target. A model that learns the clusters beats popularity by a wide margin.
/// </summary>
internal sealed class ClusteredInteractions
{
    public ClusteredInteractions(int users, int items, int clusters, int interactionsPerUser, double inClusterProbability, int seed)
    {
        var random = new Random(seed);
        UserCount = users;
        ItemCount = items;
        ClusterOfItem = Enumerable.Range(0, items).Select(i => i % clusters).ToArray();
        ClusterOfUser = Enumerable.Range(0, users).Select(u => u % clusters).ToArray();
        var itemsOfCluster = Enumerable.Range(0, clusters).Select(c => Enumerable.Range(0, items).Where(i => ClusterOfItem[i] == c).ToArray()).ToArray();
        // Zipf-like weights inside each cluster and globally, so popularity is a meaningful (but weaker) baseline.
        double Weight(int rank) => 1.0 / Math.Pow(rank + 1, 0.8);

        int Draw(int user)
        {
            if (random.NextDouble() < inClusterProbability)
            {
                var pool = itemsOfCluster[ClusterOfUser[user]];
                return pool[Pick(pool.Length)];
            }
            return Pick(items);
        }

        int Pick(int n)
        {
            var total = 0.0;
            for (var r = 0; r < n; r++) total += Weight(r);
            var x = random.NextDouble() * total;
            for (var r = 0; r < n; r++)
            {
                x -= Weight(r);
                if (x <= 0) return r;
            }
            return n - 1;
        }

        var pairs = new List<UserItemPair>();
        var targets = new int[users];
        for (var u = 0; u < users; u++)
        {
            var seen = new HashSet<int>();
            while (seen.Count < interactionsPerUser) seen.Add(Draw(u));
            foreach (var i in seen) pairs.Add(new UserItemPair(u, i));
            int target;
            do target = Draw(u); while (seen.Contains(target));
            targets[u] = target;
        }
        Pairs = pairs;
        Graph = new InteractionGraph(users, items, pairs);
        Validation = new ValidationTargets(targets, items);
    }

    public int UserCount { get; }
    public int ItemCount { get; }
    public int[] ClusterOfItem { get; }
    public int[] ClusterOfUser { get; }
    public IReadOnlyList<UserItemPair> Pairs { get; }
    public InteractionGraph Graph { get; }
    public ValidationTargets Validation { get; }

    public static ClusteredInteractions Small(int seed = 7) => new(users: 600, items: 300, clusters: 6, interactionsPerUser: 12, inClusterProbability: 0.85, seed);
}
