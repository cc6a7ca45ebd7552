using GenSR.Core;

namespace GenSR.Unify;

/// <summary>How <see cref="GenSREvaluator"/> evaluates a model. Immutable; validated on construction.</summary>
public sealed record GenSREvaluationOptions
{
    /// <summary>Beams of the trie-constrained beam search (full ranking). Must be ≥ the largest cutoff (20). Default 20.</summary>
    public int Beams { get; init => field = OptionGuard.InRange(value, 20, 4096, nameof(Beams), nameof(GenSREvaluationOptions)); } = 20;

    /// <summary>Requests per model call. Default 32; 1 … 65,536.</summary>
    public int BatchSize { get; init => field = OptionGuard.InRange(value, 1, 65_536, nameof(BatchSize), nameof(GenSREvaluationOptions)); } = 32;

    /// <summary>Evaluate generative retrieval over the full catalogue. Default true.</summary>
    public bool FullRanking { get; init; } = true;

    /// <summary>Evaluate under the sampled protocol (1 positive + sampled negatives): generative scoring and, if <see cref="Pointwise"/>,
    /// P(Yes). Default true.</summary>
    public bool Sampled { get; init; } = true;

    /// <summary>Evaluate pointwise mode (sampled protocol only). Default true.</summary>
    public bool Pointwise { get; init; } = true;

    /// <summary>Negatives of the sampled protocol (99 seeded negatives, history excluded, by default).</summary>
    public SampledCandidatesOptions Sampling { get; init => field = value ?? throw new ArgumentNullException(nameof(Sampling)); } = new();

    /// <summary>Evaluate at most this many cases (the first ones; null = all). Reports state the number of cases.</summary>
    public int? MaxCases { get; init => field = OptionGuard.AtLeast(value, 1, nameof(MaxCases), nameof(GenSREvaluationOptions)); }

    /// <summary>
    /// Evaluate pointwise mode on at most this many cases (null = the same cases as the rest). A pointwise case costs one
    /// encoder pass per candidate (100 under the default protocol), so large evaluations may cap it; reports say so.
    /// </summary>
    public int? PointwiseMaxCases { get; init => field = OptionGuard.AtLeast(value, 1, nameof(PointwiseMaxCases), nameof(GenSREvaluationOptions)); }

    /// <summary>Tasks each case is evaluated in. Default both.</summary>
    public IReadOnlyList<TaskKind> Tasks
    {
        get;
        init => field = value is { Count: > 0 } ? value : throw new ArgumentException("GenSREvaluationOptions.Tasks needs at least one task.", nameof(Tasks));
    } = [TaskKind.Recommendation, TaskKind.Search];
}
