
namespace GenSR.Representation;

/// <summary>
/// The centroids of a residual quantizer, one matrix <c>[codes, dimension]</c> per level, in the space that was quantised
/// (the input space for RQ-KMeans, the encoder's latent space for RQ-VAE). A vector is approximated by the sum of one
/// centroid per level.
/// </summary>
public sealed class ResidualCodebooks
{
    private readonly EmbeddingMatrix[] _levels;

    /// <summary>Creates the codebooks.</summary>
    /// <exception cref="ArgumentException">There is no level or the levels differ in dimension.</exception>
    public ResidualCodebooks(IReadOnlyList<EmbeddingMatrix> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0) throw new ArgumentException("At least one level is needed.", nameof(levels));
        _levels = levels.ToArray();
        Dimension = _levels[0].Dimension;
        for (var l = 0; l < _levels.Length; l++)
            if (_levels[l].Dimension != Dimension)
                throw new ArgumentException($"Level {l} has dimension {_levels[l].Dimension}, level 0 has {Dimension}.", nameof(levels));
    }

    /// <summary>Per level, its centroids <c>[codes, dimension]</c>.</summary>
    public IReadOnlyList<EmbeddingMatrix> Levels => _levels;

    /// <summary>Codes per level.</summary>
    public IReadOnlyList<int> LevelSizes => _levels.Select(l => l.Rows).ToArray();

    /// <summary>Dimension of the quantised space.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The sum of the centroids named by <paramref name="codes"/> (one per level; codes beyond the last codebook level, such as a
    /// disambiguation level, carry no centroid and are ignored).
    /// </summary>
    /// <exception cref="ArgumentException">A code is outside its level.</exception>
    public float[] Reconstruct(IReadOnlyList<int> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var result = new float[Dimension];
        for (var l = 0; l < Math.Min(codes.Count, _levels.Length); l++)
        {
            if ((uint)codes[l] >= (uint)_levels[l].Rows)
                throw new ArgumentException($"Code {codes[l]} at level {l} is outside [0, {_levels[l].Rows}).", nameof(codes));
            System.Numerics.Tensors.TensorPrimitives.Add(result, _levels[l].Row(codes[l]), result);
        }
        return result;
    }

    /// <summary>Greedy residual encoding of one vector: per level, the nearest centroid to the remaining residual.</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimension"/>.</exception>
    public int[] Encode(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension) throw new ArgumentException($"Expected a vector of dimension {Dimension}, got {vector.Length}.", nameof(vector));
        var residual = vector.ToArray();
        var codes = new int[_levels.Length];
        var difference = new float[Dimension];
        for (var l = 0; l < _levels.Length; l++)
        {
            var best = 0;
            var bestDistance = float.PositiveInfinity;
            for (var c = 0; c < _levels[l].Rows; c++)
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(residual, _levels[l].Row(c), difference);
                var distance = System.Numerics.Tensors.TensorPrimitives.Dot<float>(difference, difference);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            codes[l] = best;
            System.Numerics.Tensors.TensorPrimitives.Subtract(residual, _levels[l].Row(best), residual);
        }
        return codes;
    }

    /// <summary>Mean squared error per element between <paramref name="vectors"/> and their reconstructions from <paramref name="codes"/>.</summary>
    /// <exception cref="ArgumentException">The counts or dimensions do not match.</exception>
    public double MeanSquaredError(EmbeddingMatrix vectors, IReadOnlyList<IReadOnlyList<int>> codes)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(codes);
        if (vectors.Dimension != Dimension) throw new ArgumentException(
            $"Expected vectors of dimension {Dimension}, got {vectors.Dimension}.", nameof(vectors));
        if (vectors.Rows != codes.Count) throw new ArgumentException($"{vectors.Rows} vectors but {codes.Count} code sequences.", nameof(codes));
        if (vectors.Rows == 0) return 0;
        var total = 0.0;
        var difference = new float[Dimension];
        for (var i = 0; i < vectors.Rows; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(vectors.Row(i), Reconstruct(codes[i]), difference);
            total += System.Numerics.Tensors.TensorPrimitives.Dot<float>(difference, difference);
        }
        return total / ((double)vectors.Rows * Dimension);
    }
}
