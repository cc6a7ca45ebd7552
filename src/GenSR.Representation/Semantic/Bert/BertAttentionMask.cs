using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>Turns a padding mask into the additive attention bias of BERT-style attention.</summary>
internal static class BertAttentionMask
{
    /// <summary>
    /// <c>[batch, seq]</c> mask (bool, or integers with 1 = real token) → <c>[batch, 1, 1, seq]</c> bias of
    /// <paramref name="dtype"/>: 0 for real keys, the dtype's lowest finite value for padding keys. A finite bias (rather
    /// than −∞) keeps a row with no real key finite: its softmax is uniform instead of NaN, and callers exclude it.
    /// </summary>
    public static Tensor Additive(Tensor mask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var real = mask.dtype == ScalarType.Bool ? mask : mask.NeScalar(0);
        var bias = zeros(real.shape, dtype, real.device).MaskedFill(real.logical_not(), finfo(dtype).min);
        return bias.unsqueeze(1).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
