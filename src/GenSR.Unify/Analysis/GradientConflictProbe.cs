using GenSR.Unify.Model;
using GenSR.Unify.T5;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify.Analysis;

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
    public static double Measure(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> search, IReadOnlyList<GenSRRequest> recommendation,
                                 IEnumerable<Parameter>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(recommendation);
        if (search.Count == 0 || recommendation.Count == 0) throw new ArgumentException("Both tasks need at least one row.");
        var probed = (parameters ?? model.SharedEncoderParameters()).Where(p => p.requires_grad).ToArray();
        if (probed.Length == 0) throw new ArgumentException("No trainable parameters to probe.", nameof(parameters));
        using var scope = NewDisposeScope();
        var a = Gradient(model, builder, search, probed);
        var b = Gradient(model, builder, recommendation, probed);
        var cosine = nn.functional.cosine_similarity(a.unsqueeze(0), b.unsqueeze(0), dim: 1, eps: 1e-12);
        return cosine.item<float>();
    }

    private static Tensor Gradient(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> rows, Parameter[] parameters)
    {
        using var batch = builder.Build(rows, model.Device, withLabels: true);
        using var output = model.Forward(batch);
        var loss = T5ForConditionalGeneration.ComputeLoss(output.Logits, batch.Labels!);
        var grads = autograd.grad([loss], parameters.Cast<Tensor>().ToList(), null, false, false, true);
        return cat(grads.Select((g, i) => (g ?? zeros_like(parameters[i])).flatten().to(ScalarType.Float32)).ToList(), 0);
    }
}
