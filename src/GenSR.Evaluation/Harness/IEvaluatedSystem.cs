using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// A search and/or recommendation system compared by the harness. A system is trained once per seed on a
/// <see cref="DatasetSplit"/> and then ranks the split's test cases. How it ranks is declared by the capability
/// interfaces it implements, which also decide the protocols it can be evaluated under:
/// <list type="bullet">
/// <item><see cref="ICatalogScorer"/>: one score per catalogue item and case (full ranking; sampled ranking by reading
/// the candidates' scores);</item>
/// <item><see cref="ITopKGenerator"/>: a generated top-K item list per case (generative retrieval; full ranking only);</item>
/// <item><see cref="ICandidateScorer"/>: scores for a given candidate list per case (the sampled protocol, e.g. a
/// pointwise Yes/No scorer).</item>
/// </list>
/// See <see cref="ProtocolEvaluator.MethodFor"/> for which one is used when several are implemented.
/// </summary>
/// <remarks>
/// Contract: <see cref="Train"/> may use the split's training part and its validation cases (model selection and early
/// stopping), never its test cases. The harness creates a fresh instance per seed, calls <see cref="Train"/> once, ranks,
/// then disposes the instance.
/// </remarks>
public interface IEvaluatedSystem : IDisposable
{
    /// <summary>The name shown in reports, e.g. <c>SASRec</c> or <c>GenSR (constrained beam search)</c>; unique among the compared systems.</summary>
    string Name { get; }

    /// <summary>Whether the system serves <paramref name="task"/> (e.g. BM25 serves search only).</summary>
    /// <param name="task">The task.</param>
    bool Supports(TaskKind task);

    /// <summary>Trains (or indexes) the system on the split; validation cases may drive model selection, test cases must not be read.</summary>
    /// <param name="split">The split; the same instance is later ranked, so the system may keep what it needs from it.</param>
    /// <param name="context">Device, seed, progress, cancellation and the validation helper.</param>
    /// <returns>What training did (epochs, selected epoch, validation score).</returns>
    SystemTrainingResult Train(DatasetSplit split, EvaluationContext context);
}
