using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>Softmax over the real entries of the last dimension.</summary>
internal static class MaskedSoftmax
{
    /// <summary>
    /// Scores <c>[…, n]</c> and mask <c>[…, n]</c> (bool, true = real) → weights that sum to 1 over the real entries and
    /// are exactly 0 on padding. Padding is filled with the lowest finite value rather than −∞, so a row without any
    /// real entry yields all-zero weights instead of NaN.
    /// </summary>
    public static Tensor Compute(Tensor scores, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var filled = scores.MaskedFill(mask.logical_not(), finfo(scores.dtype).min);
        return (filled.softmax(-1) * mask.to(scores.dtype)).MoveToOuterDisposeScope();
    }
}
