namespace GenSR.Core;

/// <summary>A top-K ranking metric for a single held-out target per case.</summary>
public enum RankingMetric
{
    /// <summary>Recall@K: 1 when the target's rank is at most K, else 0. With one target per case it equals the hit rate HR@K.</summary>
    Recall = 0,

    /// <summary>NDCG@K: <c>1 / log2(rank + 1)</c> when the target's rank is at most K, else 0 (the ideal DCG of one relevant item is 1).</summary>
    Ndcg = 1,

    /// <summary>MRR@K: <c>1 / rank</c> when the target's rank is at most K, else 0.</summary>
    Mrr = 2,
}
