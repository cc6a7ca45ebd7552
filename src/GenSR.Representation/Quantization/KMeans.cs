using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// k-means on the device: k-means++ seeding (Arthur &amp; Vassilvitskii, SODA 2007) and Lloyd iterations, with batched
/// distance computation (<c>‖x‖² − 2x·c + ‖c‖²</c> in row chunks) and centroid updates by <c>index_add_</c>; no per-point
/// managed loop. Empty clusters are re-seeded with the points farthest from their centroids.
/// </summary>
internal static class KMeans
{
    /// <summary>Distance matrices are computed for at most this many (point, centroid) pairs at once.</summary>
    private const long PairsPerChunk = 1L << 24;

    /// <summary>Clusters <paramref name="points"/> <c>[n, d]</c> (float32) into <paramref name="k"/> centroids.</summary>
    /// <returns>Centroids <c>[k, d]</c> and assignments int64 <c>[n]</c>, owned by the caller.</returns>
    public static (Tensor Centroids, Tensor Assignments, int Iterations) Fit(
        Tensor points, int k, int maxIterations, double tolerance, Generator generator, CancellationToken cancellationToken)
    {
        if (points.dim() != 2 || points.shape[0] < 1) throw new ArgumentException("k-means needs a non-empty [n, d] matrix.", nameof(points));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        using var scope = NewDisposeScope();
        var centroids = SeedPlusPlus(points, k, generator, cancellationToken);
        var pointNorms = points.Squared().sum(1, keepdim: true); // [n, 1], reused by every assignment
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var (assignments, distances) = Assign(points, centroids, pointNorms);
            var updated = UpdateCentroids(points, assignments, distances, centroids);
            var shift = updated.sub(centroids).Squared().sum().item<float>() / Math.Max(1e-30, centroids.Squared().sum().item<float>());
            centroids = updated.MoveToOuterDisposeScope();
            if (shift < tolerance)
            {
                iterations++;
                break;
            }
        }
        var (final, _) = Assign(points, centroids, pointNorms);
        return (centroids.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope(), iterations);
    }

    /// <summary>Nearest centroid of every point: assignments int64 <c>[n]</c> and squared distances <c>[n]</c>.</summary>
    /// <param name="points">Points <c>[n, d]</c>.</param>
    /// <param name="centroids">Centroids <c>[k, d]</c>.</param>
    /// <param name="pointNorms">Squared norms of the points <c>[n, 1]</c> when already known.</param>
    public static (Tensor Assignments, Tensor Distances) Assign(Tensor points, Tensor centroids, Tensor? pointNorms = null)
    {
        using var scope = NewDisposeScope();
        var n = points.shape[0];
        var k = centroids.shape[0];
        var chunk = Math.Max(1, PairsPerChunk / Math.Max(1, k));
        var centroidNorms = centroids.Squared().sum(1);           // [k]
        var centroidsT = centroids.t();                           // [d, k]
        var assignments = new List<Tensor>();
        var distances = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            var length = Math.Min(chunk, n - start);
            var rows = points.narrow(0, start, length);
            var norms = pointNorms is null ? rows.Squared().sum(1, keepdim: true) : pointNorms.narrow(0, start, length);
            var d = rows.mm(centroidsT).With(-2L, static (t, s) => t.mul_(s)).PlusInPlace(norms).PlusInPlace(centroidNorms.unsqueeze(0)); // [rows, k]
            var (min, argmin) = d.min(1);
            assignments.Add(argmin);
            distances.Add(min.ClampMinScalar(0L));
        }
        var a = assignments.Count == 1 ? assignments[0] : cat(assignments, 0);
        var dist = distances.Count == 1 ? distances[0] : cat(distances, 0);
        return (a.MoveToOuterDisposeScope(), dist.MoveToOuterDisposeScope());
    }

    private static Tensor SeedPlusPlus(Tensor points, int k, Generator generator, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var n = points.shape[0];
        var chosen = new List<Tensor> { randint(0, n, new long[] { 1 }, ScalarType.Int64, points.device, generator: generator) };
        var nearest = points.sub(points.index_select(0, chosen[0])).Squared().sum(1); // [n]
        for (var c = 1; c < k; c++)
        {
            if (c % 32 == 0) cancellationToken.ThrowIfCancellationRequested();
            // Sample ∝ D(x)²; the tiny floor keeps the draw defined (uniform) when every point coincides with a chosen one.
            using var step = NewDisposeScope();
            var next = nearest.AddScalar(1e-30).multinomial(1, replacement: false, generator: generator);
            var updated = minimum(nearest, points.sub(points.index_select(0, next)).Squared().sum(1));
            nearest.Dispose();
            chosen.Add(next.MoveToOuterDisposeScope());
            nearest = updated.MoveToOuterDisposeScope();
        }
        return points.index_select(0, cat(chosen, 0)).clone().MoveToOuterDisposeScope();
    }

    private static Tensor UpdateCentroids(Tensor points, Tensor assignments, Tensor distances, Tensor previous)
    {
        using var scope = NewDisposeScope();
        var k = previous.shape[0];
        using var one = 1.ToScalar();
        var sums = zeros_like(previous).index_add_(0, assignments, points, one);
        var counts = assignments.bincount(null, k);
        var updated = sums / counts.ClampMinScalar(1L).to(points.dtype).unsqueeze(1);
        var empty = counts.EqScalar(0);
        var emptyCount = empty.sum().item<long>();
        if (emptyCount > 0)
        {
            var farthest = distances.topk((int)Math.Min(emptyCount, points.shape[0])).indexes;
            var emptyIds = empty.nonzero().squeeze(1).narrow(0, 0, farthest.shape[0]);
            updated.index_copy_(0, emptyIds, points.index_select(0, farthest));
        }
        return updated.MoveToOuterDisposeScope();
    }
}
