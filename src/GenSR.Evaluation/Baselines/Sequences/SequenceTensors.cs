using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>Moves row-major managed arrays to device tensors and scores back.</summary>
internal static class SequenceTensors
{
    /// <summary>The rows <paramref name="rows"/> of a row-major [*, width] array as an int64 tensor [rows.Length, width] on
    /// <paramref name="device"/>.</summary>
    public static Tensor Rows(long[] source, int width, int[] rows, Device device)
    {
        var data = new long[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
            Array.Copy(source, (long)rows[r] * width, data, (long)r * width, width);
        return tensor(data, [rows.Length, width], ScalarType.Int64, device);
    }

    /// <summary>A row-major array as an int64 tensor of the given shape on <paramref name="device"/>.</summary>
    public static Tensor Of(long[] data, long[] shape, Device device) => tensor(data, shape, ScalarType.Int64, device);

    /// <summary>Copies a float tensor's values (any device, any shape) into <paramref name="destination"/>, which must match its element count.</summary>
    public static void CopyTo(Tensor values, Span<float> destination)
    {
        if (values.numel() != destination.Length)
            throw new ArgumentException($"Expected room for {values.numel()} scores, got {destination.Length}.", nameof(destination));
        using var cpu = values.to(ScalarType.Float32).cpu().contiguous();
        cpu.data<float>().CopyTo(destination, 0, 0);
    }

    /// <summary>Selects rows of a string array by index (the queries of a batch of windows).</summary>
    public static string?[] Rows(string?[] source, int width, int[] rows)
    {
        var data = new string?[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
            Array.Copy(source, (long)rows[r] * width, data, (long)r * width, width);
        return data;
    }
}
