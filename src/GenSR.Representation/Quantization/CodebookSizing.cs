namespace GenSR.Representation;

/// <summary>
/// The automatic codebook size for small catalogues: <c>K = min(requested, max(2, ⌊items / minItemsPerCode⌋), items)</c>,
/// so that every code of the first level has on average at least <c>minItemsPerCode</c> items to fit a centroid to
/// (3 levels × 256 codes for catalogues of 1,024 items or more with the default of 4).
/// </summary>
internal static class CodebookSizing
{
    public static int Effective(int itemCount, int requested, int minItemsPerCode) =>
        Math.Max(1, Math.Min(Math.Min(requested, Math.Max(2, itemCount / minItemsPerCode)), itemCount));
}
