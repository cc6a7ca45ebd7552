using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>Position indices that depend only on the real entries, so padding anywhere never shifts them.</summary>
internal static class HistoryPositions
{
    /// <summary>
    /// Recency rank of each entry of a chronological history: mask <c>[batch, hist]</c> (bool) → int64 <c>[batch, hist]</c>
    /// with 0 for the most recent real entry, 1 for the one before, …, counted over real entries only (padding gets 0).
    /// </summary>
    public static Tensor RecencyRanks(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var laterOrSame = mask.to(ScalarType.Int64).flip(1).cumsum(1).flip(1);
        return laterOrSame.AddScalar(-1L).ClampMinScalar(0L).MoveToOuterDisposeScope();
    }

    /// <summary>Index of each entry among the real entries of its row (last dimension): mask <c>[…, n]</c> → int64 <c>[…, n]</c>, padding 0.</summary>
    public static Tensor OrdinalRanks(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var upToHere = mask.to(ScalarType.Int64).cumsum(-1);
        return upToHere.AddScalar(-1L).ClampMinScalar(0L).MoveToOuterDisposeScope();
    }
}
