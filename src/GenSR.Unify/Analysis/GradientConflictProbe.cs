using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Gradient conflict between the two tasks (the analysis of arXiv 2504.06714, Sec. "Motivation": in a shared model the
/// search and recommendation gradients point in different directions, which unified prompts reduce): the cosine
/// similarity between the gradient of the search loss and the gradient of the recommendation loss with respect to the
/// chosen parameters. −1 is full conflict, 0 orthogonal, 1 agreement. Gradients are taken with <c>autograd.grad</c>, so
/// the parameters' <c>.grad</c> fields are not touched.
/// </summary>
public static class GradientConflictProbe
{
    /// <summary>Cosine between the two tasks' language-model-loss gradients on <paramref name="parameters"/>.</summary>
    /// <param name="model">The model (its training/eval mode is kept).</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="search">Generative search rows with targets.</param>
    /// <param name="recommendation">Generative recommendation rows with targets.</param>
    /// <param name="parameters">Parameters to probe; default the encoder's last block (<see cref="GenSRModel.SharedEncoderParameters"/>).</param>
    /// <param name="denseMix">λ: each task's loss is (1 − λ) · language-model loss + λ · the dense head's cross-entropy. 0 (default)
    /// is the paper's probe; λ &gt; 0 asks whether a dense head brings back the conflict that prompts avoid. In [0, 1]; λ &gt; 0
    /// needs a model with a dense head.</param>
    public static double Measure(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> search, IReadOnlyList<GenSRRequest> recommendation,
                                 IEnumerable<Parameter>? parameters = null, double denseMix = 0)
    {
        if (double.IsNaN(denseMix) || denseMix is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(denseMix), denseMix, "denseMix must be in [0, 1].");
        if (denseMix > 0 && model is { Config.HasDenseHead: false })
            throw new ArgumentException("denseMix > 0 needs a model with a dense head.", nameof(denseMix));
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(recommendation);
        if (search.Count == 0 || recommendation.Count == 0) throw new ArgumentException("Both tasks need at least one row.");
        var probed = (parameters ?? model.SharedEncoderParameters()).Where(p => p.requires_grad).ToArray();
        if (probed.Length == 0) throw new ArgumentException("No trainable parameters to probe.", nameof(parameters));
        using var scope = NewDisposeScope();
        var a = Gradient(model, builder, search, probed, denseMix);
        var b = Gradient(model, builder, recommendation, probed, denseMix);
        var cosine = nn.functional.cosine_similarity(a.unsqueeze(0), b.unsqueeze(0), dim: 1, eps: 1e-12);
        return cosine.item<float>();
    }

    private static Tensor Gradient(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> rows, Parameter[] parameters, double denseMix)
    {
        using var batch = builder.Build(rows, model.Device, withLabels: true);
        using var output = model.Forward(batch);
        var loss = T5ForConditionalGeneration.ComputeLoss(output.Logits, batch.Labels!);
        if (denseMix > 0)
            loss = loss.MulScalar(1 - denseMix).Plus(nn.functional.cross_entropy(output.DenseScores!, batch.TargetItems!).MulScalar(denseMix));
        var grads = autograd.grad([loss], parameters.Cast<Tensor>().ToList(), null, false, false, true);
        return cat(grads.Select((g, i) => (g ?? zeros_like(parameters[i])).flatten().to(ScalarType.Float32)).ToList(), 0);
    }
}
