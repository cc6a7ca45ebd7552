using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Truncated SVD of a (sparse) matrix by randomized subspace iteration: Halko, Martinsson and Tropp, "Finding
/// structure with randomness: probabilistic algorithms for constructing approximate matrix decompositions", SIAM
/// Review 53(2), 2011 — Algorithm 4.4 (randomized subspace iteration, re-orthonormalising after every product) for
/// the range, then Algorithm 5.1 (direct SVD of the small projected matrix). Only products with the matrix and its
/// transpose touch the large matrix, so a sparse <c>[rows, cols]</c> matrix is never made dense.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>Leading singular values and right singular vectors of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix <c>[rows, cols]</c>, sparse COO or dense, float32.</param>
    /// <param name="transposed">Its transpose <c>[cols, rows]</c> in the same layout (built once by the caller, because a
    /// sparse transpose product is far slower than a product with a transposed copy).</param>
    /// <param name="rank">Components wanted.</param>
    /// <param name="oversampling">Extra sampled directions (p).</param>
    /// <param name="powerIterations">Subspace iterations (q).</param>
    /// <param name="seed">Seed of the Gaussian test matrix, drawn on the CPU so every device sees the same one.</param>
    /// <param name="onPass">Called after each pass over the matrix with (passes done, passes in all).</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>Singular values <c>[r]</c> in descending order and right singular vectors <c>[cols, r]</c>, with
    /// <c>r = min(rank, rows, cols)</c>; each vector's largest-magnitude entry is made positive so the result does not
    /// depend on the sign conventions of the LAPACK routine underneath.</returns>
    public static (Tensor SingularValues, Tensor RightVectors) Compute(Tensor matrix, Tensor transposed, int rank, int oversampling, int powerIterations,
                                                                      long seed, Action<int, int>? onPass = null, CancellationToken cancellationToken = default)
    {
        var rows = matrix.shape[0];
        var cols = matrix.shape[1];
        var limit = (int)Math.Min(rows, cols);
        var sample = Math.Min(rank + oversampling, limit);
        var kept = Math.Min(rank, limit);
        var totalPasses = 2 + 2 * powerIterations;
        var passes = 0;

        using var scope = NewDisposeScope();
        Tensor omega;
        using (var generator = new Generator((ulong)seed, CPU))
            omega = randn([cols, sample], ScalarType.Float32, CPU, generator: generator).to(matrix.device);

        var q = Orthonormalize(matrix.mm(omega));
        onPass?.Invoke(++passes, totalPasses);
        for (var i = 0; i < powerIterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var z = Orthonormalize(transposed.mm(q));
            onPass?.Invoke(++passes, totalPasses);
            q = Orthonormalize(matrix.mm(z));
            onPass?.Invoke(++passes, totalPasses);
        }
        cancellationToken.ThrowIfCancellationRequested();

        // B = Qᵀ A is [sample, cols]; its transpose Aᵀ Q is what a sparse product gives directly. Aᵀ Q = U Σ Vᵀ makes
        // B = V Σ Uᵀ, so the right singular vectors of A (in column space) are U.
        var bt = transposed.mm(q);
        onPass?.Invoke(++passes, totalPasses);
        var (u, s, _) = linalg.svd(bt, fullMatrices: false);
        var values = s.narrow(0, 0, kept);
        var vectors = u.narrow(1, 0, kept);

        var pivot = vectors.abs().argmax(0, keepdim: true);
        var signs = vectors.gather(0, pivot).sign();
        signs = where(signs.EqScalar(0), ones_like(signs), signs);
        vectors = vectors * signs;
        return (values.contiguous().MoveToOuterDisposeScope(), vectors.contiguous().MoveToOuterDisposeScope());
    }

    private static Tensor Orthonormalize(Tensor y) => linalg.qr(y, linalg.QRMode.Reduced).Q;
}
