using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>Checks shared by the <see cref="IItemRule"/> implementations.</summary>
internal static class ItemRules
{
    public static (int Queries, int Items) CheckShape(Tensor allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.dim() != 2 || allowed.dtype != ScalarType.Bool)
            throw new ArgumentException(
                $"An item rule restricts a bool [queries, items] mask, got {allowed.dtype} [{string.Join(", ", allowed.shape)}].", nameof(allowed));
        return ((int)allowed.shape[0], (int)allowed.shape[1]);
    }

    public static int CheckItem(int item, int itemCount, string rule) =>
        (uint)item < (uint)itemCount ? item : throw new ArgumentException($"{rule} names item id {item}, outside the catalogue [0, {itemCount}).");
}
