using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>Shape and dtype checks of history-encoder inputs (metadata only: no device synchronisation).</summary>
internal static class HistoryInputChecks
{
    public static void Mask(Tensor mask, long[] shape, string name)
    {
        if (mask.dtype != ScalarType.Bool || !mask.shape.SequenceEqual(shape))
            throw new ArgumentException(
                $"{name} must be bool [{string.Join(", ", shape)}] (true = real); got {mask.dtype} [{string.Join(", ", mask.shape)}].", name);
    }

    public static void Ids(Tensor ids, long[] shape, string name)
    {
        if (ids.dtype != ScalarType.Int64 || !ids.shape.SequenceEqual(shape))
            throw new ArgumentException($"{name} must be int64 [{string.Join(", ", shape)}]; got {ids.dtype} [{string.Join(", ", ids.shape)}].", name);
    }

    public static void Target(Tensor target, long batch, int width, string name)
    {
        if (target.dim() != 2 || target.shape[0] != batch || target.shape[1] != width)
            throw new ArgumentException($"{name} must be [{batch}, {width}] (batch, target width); got [{string.Join(", ", target.shape)}].", name);
    }
}
