using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>
/// The one strict state-dict check and copy behind every weight loader: the names, shapes and dtypes of the tensors on
/// offer are compared with a module's state dict, every problem is collected, and only when there is none are the values
/// copied (converted to each target's dtype and device). Loaders map their file's names first (prefixes, aliases) and
/// may add problems of their own (e.g. non-finite values).
/// </summary>
internal static class StrictStateDict
{
    /// <summary>A tensor on offer, described without its values (e.g. from a safetensors header).</summary>
    /// <param name="Name">The target name it is offered for.</param>
    /// <param name="Shape">Its shape.</param>
    /// <param name="DType">Its dtype, as a safetensors code (F32, BF16, I64, ...).</param>
    /// <param name="Source">Its name in the file, when it differs (for messages).</param>
    internal readonly record struct Offered(string Name, long[] Shape, string DType, string? Source = null)
    {
        public bool IsFloatingPoint => DType is "F64" or "F32" or "F16" or "BF16";

        public string Label => Source is null || Source == Name ? $"\"{Name}\"" : $"\"{Source}\"";

        public static Offered Of(string name, Tensor tensor) => new(name, tensor.shape, SafeTensorsDType(tensor.dtype));
    }

    /// <summary>Every mismatch between <paramref name="offered"/> and <paramref name="expected"/>, sorted.</summary>
    /// <param name="expected">The module's state dict.</param>
    /// <param name="offered">The tensors on offer, by target name.</param>
    /// <param name="floatOnly">Whether every target takes floating-point values only (pretrained weights); otherwise a non-float target
    /// needs its exact dtype.</param>
    public static List<string> Problems(IReadOnlyDictionary<string, Tensor> expected, IEnumerable<Offered> offered, bool floatOnly)
    {
        var problems = new List<string>();
        var seen = new Dictionary<string, Offered>(StringComparer.Ordinal);
        foreach (var entry in offered)
        {
            if (!expected.TryGetValue(entry.Name, out var target))
            {
                problems.Add($"unexpected {entry.Label} {entry.DType}{Format(entry.Shape)}");
                continue;
            }
            if (!seen.TryAdd(entry.Name, entry))
            {
                problems.Add($"\"{entry.Name}\" appears twice, as {seen[entry.Name].Label} and {entry.Label}");
                continue;
            }
            if (!entry.Shape.SequenceEqual(target.shape))
                problems.Add($"{entry.Label} has shape {Format(entry.Shape)}, expected {Format(target.shape)}");
            else if (floatOnly || target.is_floating_point() ? !entry.IsFloatingPoint : entry.DType != SafeTensorsDType(target.dtype))
                problems.Add($"{entry.Label} has dtype {entry.DType}, expected " +
                             (floatOnly || target.is_floating_point() ? "a floating-point dtype (F32, BF16, F16 or F64)" : SafeTensorsDType(target.dtype)));
        }
        foreach (var (name, target) in expected)
            if (!seen.ContainsKey(name))
                problems.Add($"missing \"{name}\" (expected {SafeTensorsDType(target.dtype)}{Format(target.shape)})");
        problems.Sort(StringComparer.Ordinal);
        return problems;
    }

    /// <summary>Copies <paramref name="source"/>(name) into every target of <paramref name="expected"/>, converted to its dtype and device, without
    /// recording gradients.</summary>
    public static void Copy(IReadOnlyDictionary<string, Tensor> expected, Func<string, Tensor> source)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in expected) target.copy_(source(name));
    }

    /// <summary>Checks, then copies: throws <see cref="WeightsMismatchException"/> listing every problem before anything is written.</summary>
    public static void Load(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> tensors, string origin, string model,
        bool floatOnly, IEnumerable<string>? extraProblems = null)
    {
        var problems = Problems(expected, tensors.Select(t => Offered.Of(t.Key, t.Value)), floatOnly);
        if (extraProblems is not null)
        {
            problems.AddRange(extraProblems);
            problems.Sort(StringComparer.Ordinal);
        }
        if (problems.Count > 0) throw new WeightsMismatchException(origin, model, problems);
        Copy(expected, name => tensors[name]);
    }

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string SafeTensorsDType(ScalarType type) => SafeTensorsFile.DTypeName(type);
}
