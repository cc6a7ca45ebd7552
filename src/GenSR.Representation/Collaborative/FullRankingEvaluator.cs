using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Validation Recall@K under the <b>full-ranking</b> protocol: every user with a held-out item is scored against the whole
/// catalogue, the user's training items are excluded from the ranking (except the held-out item itself, should it also
/// occur in training), and Recall@K is the fraction of users whose held-out item is in the top K (with one held-out item
/// per user this equals HR@K). All on the device, in user batches.
/// </summary>
public sealed class FullRankingEvaluator : IDisposable
{
    private readonly List<EvaluationBatch> _batches = new();
    private readonly Device _device;
    private readonly InteractionGraph _graph;
    private bool _disposed;

    /// <summary>Prepares the evaluation batches (user ids, targets and training-item masks) on <paramref name="device"/>.</summary>
    /// <param name="graph">Training graph; its items are excluded from each user's ranking.</param>
    /// <param name="targets">Per user, the held-out item or −1.</param>
    /// <param name="k">The K of Recall@K (at least 1; capped at the number of items).</param>
    /// <param name="device">Where scoring happens (CPU when null).</param>
    /// <param name="userBatchSize">Users scored at once (at least 1).</param>
    /// <exception cref="ArgumentException">The targets do not match the graph's users or items.</exception>
    public FullRankingEvaluator(InteractionGraph graph, ValidationTargets targets, int k = 20, Device? device = null, int userBatchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(targets);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "K must be at least 1.");
        if (userBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(userBatchSize), userBatchSize, "The user batch size must be at least 1.");
        if (targets.UserCount != graph.UserCount)
            throw new ArgumentException($"The validation targets cover {targets.UserCount} users but the graph has {graph.UserCount}.", nameof(targets));
        if (targets.ItemCount != graph.ItemCount)
            throw new ArgumentException($"The validation targets refer to {targets.ItemCount} items but the graph has {graph.ItemCount}.", nameof(targets));
        _graph = graph;
        _device = device ?? CPU;
        K = Math.Min(k, graph.ItemCount);
        EvaluatedUserCount = targets.EvaluableUserCount;

        var users = new List<long>();
        for (var u = 0; u < graph.UserCount; u++)
        {
            if (targets[u] < 0) continue;
            users.Add(u);
            if (users.Count == userBatchSize)
            {
                _batches.Add(CreateBatch(users, targets));
                users.Clear();
            }
        }
        if (users.Count > 0) _batches.Add(CreateBatch(users, targets));
    }

    /// <summary>The K of Recall@K actually used (the requested K capped at the number of items).</summary>
    public int K { get; }

    /// <summary>Number of users with a held-out item (the denominator of Recall@K).</summary>
    public int EvaluatedUserCount { get; }

    /// <summary>Recall@K of dot-product scores: users <c>[users, dim]</c> and items <c>[items, dim]</c>, on the evaluator's device.</summary>
    /// <returns>Recall@K in [0, 1]; 0 when no user has a held-out item.</returns>
    public double Recall(Tensor userEmbeddings, Tensor itemEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(userEmbeddings);
        ArgumentNullException.ThrowIfNull(itemEmbeddings);
        if (userEmbeddings.dim() != 2 || userEmbeddings.shape[0] != _graph.UserCount)
            throw new ArgumentException($"Expected user embeddings [{_graph.UserCount}, dim], got [{string.Join(", ", userEmbeddings.shape)}].",
                nameof(userEmbeddings));
        if (itemEmbeddings.dim() != 2 || itemEmbeddings.shape[0] != _graph.ItemCount || itemEmbeddings.shape[1] != userEmbeddings.shape[1])
            throw new ArgumentException($"Expected item embeddings [{_graph.ItemCount}, {userEmbeddings.shape[1]}], got " +
                $"[{string.Join(", ", itemEmbeddings.shape)}].", nameof(itemEmbeddings));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var itemsT = itemEmbeddings.to(_device).t();
        var allUsers = userEmbeddings.to(_device);
        return Count(batch => allUsers.index_select(0, batch.Users).mm(itemsT));
    }

    /// <summary>Recall@K of one score per item shared by all users (e.g. popularity): <paramref name="itemScores"/> <c>[items]</c>.</summary>
    public double Recall(Tensor itemScores)
    {
        ArgumentNullException.ThrowIfNull(itemScores);
        if (itemScores.dim() != 1 || itemScores.shape[0] != _graph.ItemCount)
            throw new ArgumentException($"Expected item scores [{_graph.ItemCount}], got [{string.Join(", ", itemScores.shape)}].", nameof(itemScores));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var scores = itemScores.to(ScalarType.Float32).to(_device).unsqueeze(0);
        return Count(batch => scores.expand(batch.Users.shape[0], -1).clone());
    }

    /// <summary>Recall@K of the most-popular baseline: items ranked by their number of training users.</summary>
    public double PopularityRecall()
    {
        var degrees = _graph.ItemDegrees.ToArray();
        using var scores = tensor(Array.ConvertAll(degrees, d => (float)d));
        return Recall(scores);
    }

    private double Count(Func<EvaluationBatch, Tensor> score)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (EvaluatedUserCount == 0) return 0;
        using var hits = zeros(1, ScalarType.Int64, _device);
        foreach (var batch in _batches)
        {
            using var scope = NewDisposeScope();
            var scores = score(batch); // [batch, items]
            if (batch.MaskRows.shape[0] > 0)
            {
                using var excluded = float.NegativeInfinity.ToScalar();
                scores.index_put_(excluded, batch.MaskRows, batch.MaskItems);
            }
            var top = scores.topk(K, dim: 1).indexes;                                     // [batch, K]
            hits.PlusInPlace(top.eq(batch.Targets.unsqueeze(1)).any(1).sum());
        }
        return (double)hits.item<long>() / EvaluatedUserCount;
    }

    private EvaluationBatch CreateBatch(List<long> users, ValidationTargets targets)
    {
        var maskRows = new List<long>();
        var maskItems = new List<long>();
        var targetIds = new long[users.Count];
        for (var row = 0; row < users.Count; row++)
        {
            var u = (int)users[row];
            targetIds[row] = targets[u];
            foreach (var item in _graph.ItemsOf(u))
            {
                if (item == targets[u]) continue; // a repeated target stays rankable
                maskRows.Add(row);
                maskItems.Add(item);
            }
        }
        return new EvaluationBatch(
            ToDevice(users.ToArray()), ToDevice(targetIds), ToDevice(maskRows.ToArray()), ToDevice(maskItems.ToArray()));
    }

    private Tensor ToDevice(long[] values)
    {
        using var cpu = tensor(values, ScalarType.Int64);
        return cpu.to(_device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var b in _batches)
        {
            b.Users.Dispose();
            b.Targets.Dispose();
            b.MaskRows.Dispose();
            b.MaskItems.Dispose();
        }
        _batches.Clear();
    }

    private sealed record EvaluationBatch(Tensor Users, Tensor Targets, Tensor MaskRows, Tensor MaskItems);
}
