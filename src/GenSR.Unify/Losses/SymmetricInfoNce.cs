using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// Symmetric InfoNCE with in-batch negatives (GenSR's contrastive loss L_CL between the collaborative and semantic user
/// vectors, arXiv 2504.06714, Sec. "Dual Representation Learning"; the reference temperature is 0.07): row i of
/// <c>a</c> and row i of <c>b</c> are the positive pair, every other row of the batch a negative. Both directions'
/// cross-entropies are averaged.
/// </summary>
public static class SymmetricInfoNce
{
    /// <summary>The loss for <paramref name="a"/> and <paramref name="b"/>, both <c>[batch, d]</c>; a scalar tensor.</summary>
    /// <param name="a">First views <c>[batch, d]</c>.</param>
    /// <param name="b">Second views <c>[batch, d]</c>.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0.</param>
    public static Tensor Compute(Tensor a, Tensor b, double temperature)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The InfoNCE temperature must be a positive finite number.");
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException(
                $"Both views must be [batch, d] of equal shape; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        using var scope = NewDisposeScope();
        var na = nn.functional.normalize(a.to(ScalarType.Float32), p: 2, dim: 1);
        var nb = nn.functional.normalize(b.to(ScalarType.Float32), p: 2, dim: 1);
        var logits = na.matmul(nb.t()).DivScalar(temperature);
        var labels = TensorScalarOps.Arange(a.shape[0], a.device);
        var loss = nn.functional.cross_entropy(logits, labels).Plus(nn.functional.cross_entropy(logits.t(), labels)).DivScalar(2);
        return loss.MoveToOuterDisposeScope();
    }
}
