using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// GenSR ranked by P(Yes) of its pointwise prompt. It scores given candidates only, so the harness evaluates it under the
/// sampled protocol alone (a pointwise scorer cannot rank a whole catalogue without one pass per item).
/// </summary>
public sealed class GenSRPointwiseSystem : ICandidateScorer
{
    private readonly GenSRSystem _inner;

    /// <summary>Creates an untrained system; <paramref name="options"/> must have <see cref="GenSRSystemOptions.Pointwise"/> set.</summary>
    public GenSRPointwiseSystem(GenSRSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Pointwise) throw new ArgumentException("GenSRPointwiseSystem needs options with Pointwise = true.", nameof(options));
        _inner = new GenSRSystem(options);
    }

    /// <summary>The options the system trains with.</summary>
    public GenSRSystemOptions Options => _inner.Options;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public bool Supports(TaskKind task) => _inner.Supports(task);

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context) => _inner.Train(split, context);

    /// <inheritdoc />
    public void ScoreCandidates(TaskKind task, IReadOnlyList<EvaluationCase> cases, ReadOnlySpan<int> candidates, int candidatesPerCase, Span<float> scores) =>
        _inner.ScoreCandidates(task, cases, candidates, candidatesPerCase, scores);

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
