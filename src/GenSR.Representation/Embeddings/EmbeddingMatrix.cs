using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>An immutable dense float matrix <c>[rows, dimension]</c> stored row-major: one vector per user or item.</summary>
public sealed class EmbeddingMatrix
{
    private readonly float[] _values;

    /// <summary>Creates a matrix from row-major values (copied).</summary>
    /// <param name="values">Row-major values, length <paramref name="rows"/> × <paramref name="dimension"/>.</param>
    /// <param name="rows">Number of rows (vectors), at least 0.</param>
    /// <param name="dimension">Length of each vector, at least 1.</param>
    /// <exception cref="ArgumentException">The length does not match, or a value is NaN or infinite (the message names the row).</exception>
    public EmbeddingMatrix(ReadOnlySpan<float> values, int rows, int dimension)
        : this(values.ToArray(), rows, dimension, validate: true)
    {
    }

    private EmbeddingMatrix(float[] values, int rows, int dimension, bool validate)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The number of rows cannot be negative.");
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be at least 1.");
        if (values.LongLength != (long)rows * dimension)
            throw new ArgumentException($"Expected {rows} × {dimension} = {(long)rows * dimension} values, got {values.LongLength}.", nameof(values));
        if (validate)
        {
            var bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new ArgumentException($"Row {bad / dimension} has a non-finite value ({values[bad]}) at dimension {bad % dimension}.", nameof(values));
        }
        _values = values;
        Rows = rows;
        Dimension = dimension;
    }

    /// <summary>Wraps an array the caller hands over (not copied); values are validated.</summary>
    internal static EmbeddingMatrix Wrap(float[] values, int rows, int dimension) => new(values, rows, dimension, validate: true);

    /// <summary>Creates a matrix from equal-length rows (copied).</summary>
    /// <exception cref="ArgumentException">There are no rows, or a row's length differs from the first row's.</exception>
    public static EmbeddingMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("At least one row is needed to know the dimension.", nameof(rows));
        var dimension = rows[0]?.Length ?? throw new ArgumentException("Row 0 is null.", nameof(rows));
        var values = new float[(long)rows.Count * dimension];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw new ArgumentException($"Row {r} is null.", nameof(rows));
            if (row.Length != dimension)
                throw new ArgumentException($"Row {r} has {row.Length} values, but row 0 has {dimension}.", nameof(rows));
            row.CopyTo(values, (long)r * dimension);
        }
        return Wrap(values, rows.Count, dimension);
    }

    /// <summary>Copies a 2-D float tensor <c>[rows, dimension]</c> (any device, any float dtype) into a matrix.</summary>
    /// <exception cref="ArgumentException">The tensor is not 2-D or holds non-finite values.</exception>
    public static EmbeddingMatrix FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 2)
            throw new ArgumentException($"Expected a 2-D tensor [rows, dimension], got shape [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return Wrap(cpu.data<float>().ToArray(), (int)cpu.shape[0], (int)cpu.shape[1]);
    }

    /// <summary>Number of rows (vectors).</summary>
    public int Rows { get; }

    /// <summary>Length of each vector.</summary>
    public int Dimension { get; }

    /// <summary>All values, row-major, length <see cref="Rows"/> × <see cref="Dimension"/>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The vector in row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) =>
        (uint)row < (uint)Rows
            ? _values.AsSpan(row * Dimension, Dimension)
            : throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");

    /// <summary>A copy of the values, row-major.</summary>
    public float[] ToArray() => (float[])_values.Clone();

    /// <summary>The matrix as a float32 tensor <c>[rows, dimension]</c> on <paramref name="device"/> (CPU when null).</summary>
    public Tensor ToTensor(Device? device = null)
    {
        var cpu = torch.tensor(_values, new long[] { Rows, Dimension }, ScalarType.Float32);
        if (device is null || device.type == DeviceType.CPU) return cpu;
        var moved = cpu.to(device);
        cpu.Dispose();
        return moved;
    }

    /// <summary>A copy with every row scaled to unit L2 norm; all-zero rows stay zero.</summary>
    public EmbeddingMatrix L2Normalized()
    {
        var result = new float[_values.Length];
        for (var r = 0; r < Rows; r++)
        {
            var row = _values.AsSpan(r * Dimension, Dimension);
            var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row));
            var target = result.AsSpan(r * Dimension, Dimension);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)(1.0 / norm), target);
        }
        return new EmbeddingMatrix(result, Rows, Dimension, validate: false);
    }

    /// <summary>Whether both matrices have the same shape and bitwise-identical values.</summary>
    public bool ContentEquals(EmbeddingMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Rows == other.Rows && Dimension == other.Dimension &&
               System.Runtime.InteropServices.MemoryMarshal.AsBytes(_values.AsSpan())
                   .SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._values.AsSpan()));
    }
}
