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
                                 IEnumerable<Parameter>? parameters = null, double denseMix = 0) =>
        double.IsNaN(denseMix) || denseMix is < 0 or > 1
            ? throw new ArgumentOutOfRangeException(nameof(denseMix), denseMix, "denseMix must be in [0, 1].")
            : MeasureByDenseMix(model, builder, search, recommendation, [denseMix], parameters)[0];

    /// <summary>
    /// The cosine of <see cref="Measure"/> at several dense mixes λ from one forward pass per task: each task's gradient of
    /// the language-model loss and of the dense loss is taken once, and the gradient of the mixed loss is their mix (the
    /// gradient is linear in the loss), so probing several λ costs what probing one does, plus one gradient per task.
    /// </summary>
    /// <param name="model">The model (its training/eval mode is kept).</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="search">Generative search rows with targets.</param>
    /// <param name="recommendation">Generative recommendation rows with targets.</param>
    /// <param name="denseMixes">The λ values, each in [0, 1]; any λ &gt; 0 needs a model with a dense head.</param>
    /// <param name="parameters">Parameters to probe; default the encoder's last block (<see cref="GenSRModel.SharedEncoderParameters"/>).</param>
    /// <returns>The cosine at each λ, in the order of <paramref name="denseMixes"/>.</returns>
    public static double[] MeasureByDenseMix(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> search,
                                             IReadOnlyList<GenSRRequest> recommendation, IReadOnlyList<double> denseMixes,
                                             IEnumerable<Parameter>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(denseMixes);
        if (denseMixes.Count == 0) throw new ArgumentException("At least one dense mix is needed.", nameof(denseMixes));
        foreach (var mix in denseMixes)
            if (double.IsNaN(mix) || mix is < 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(denseMixes), mix, "Every dense mix must be in [0, 1].");
        var withDense = denseMixes.Any(m => m > 0);
        if (withDense && model is { Config.HasDenseHead: false })
            throw new ArgumentException("A dense mix above 0 needs a model with a dense head.", nameof(denseMixes));
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(recommendation);
        if (search.Count == 0 || recommendation.Count == 0) throw new ArgumentException("Both tasks need at least one row.");
        var probed = (parameters ?? model.SharedEncoderParameters()).Where(p => p.requires_grad).ToArray();
        if (probed.Length == 0) throw new ArgumentException("No trainable parameters to probe.", nameof(parameters));
        using var scope = NewDisposeScope();
        var (aLm, aDense) = Gradients(model, builder, search, probed, withDense);
        var (bLm, bDense) = Gradients(model, builder, recommendation, probed, withDense);
        var cosines = new double[denseMixes.Count];
        for (var i = 0; i < cosines.Length; i++)
        {
            var mix = denseMixes[i];
            var a = mix > 0 ? aLm.MulScalar(1 - mix).Plus(aDense!.MulScalar(mix)) : aLm;
            var b = mix > 0 ? bLm.MulScalar(1 - mix).Plus(bDense!.MulScalar(mix)) : bLm;
            cosines[i] = nn.functional.cosine_similarity(a.unsqueeze(0), b.unsqueeze(0), dim: 1, eps: 1e-12).item<float>();
        }

        return cosines;
    }

    /// <summary>The flattened gradients of one task's language-model loss and (when asked) its dense loss, from one forward pass.</summary>
    private static (Tensor Lm, Tensor? Dense) Gradients(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> rows, Parameter[] parameters,
                                                        bool withDense)
    {
        using var batch = builder.Build(rows, model.Device, withLabels: true);
        using var output = model.Forward(batch);
        var lmLoss = T5ForConditionalGeneration.ComputeLoss(output.Logits, batch.Labels!);
        var lm = Flatten(autograd.grad([lmLoss], parameters.Cast<Tensor>().ToList(), null, withDense, false, true), parameters);
        if (!withDense) return (lm, null);
        var denseLoss = nn.functional.cross_entropy(output.DenseScores!, batch.TargetItems!);
        return (lm, Flatten(autograd.grad([denseLoss], parameters.Cast<Tensor>().ToList(), null, false, false, true), parameters));
    }

    private static Tensor Flatten(IList<Tensor> grads, Parameter[] parameters) =>
        cat(grads.Select((g, i) => (g ?? zeros_like(parameters[i])).flatten().to(ScalarType.Float32)).ToList(), 0);
}
