using GenSR.Core;

namespace GenSR.Unify;

/// <summary>How <see cref="GenSREvaluator"/> evaluates a model. Immutable; validated on construction.</summary>
public sealed record GenSREvaluationOptions
{
    /// <summary>Beams of the trie-constrained beam search (full ranking). Must be ≥ the largest cutoff (20). Default 20.</summary>
    public int Beams { get; init => field = value is >= 20 and <= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(Beams), value, "GenSREvaluationOptions.Beams must be in [20, 4096] (the metrics go to @20)."); } = 20;

    /// <summary>Requests per model call. Default 32; 1 … 65,536.</summary>
    public int BatchSize { get; init => field = value is >= 1 and <= 65_536 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "GenSREvaluationOptions.BatchSize must be in [1, 65536]."); } = 32;

    /// <summary>Evaluate generative retrieval over the full catalogue. Default true.</summary>
    public bool FullRanking { get; init; } = true;

    /// <summary>Evaluate under the sampled protocol (1 positive + sampled negatives): generative scoring and, if <see cref="Pointwise"/>, P(Yes). Default true.</summary>
    public bool Sampled { get; init; } = true;

    /// <summary>Evaluate pointwise mode (sampled protocol only). Default true.</summary>
    public bool Pointwise { get; init; } = true;

    /// <summary>Negatives of the sampled protocol (99 seeded negatives, history excluded, by default).</summary>
    public SampledCandidatesOptions Sampling { get; init => field = value ?? throw new ArgumentNullException(nameof(Sampling)); } = new();

    /// <summary>Evaluate at most this many cases (the first ones; null = all). Reports state the number of cases.</summary>
    public int? MaxCases { get; init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCases), value, "GenSREvaluationOptions.MaxCases must be at least 1 or null."); }

    /// <summary>
    /// Evaluate pointwise mode on at most this many cases (null = the same cases as the rest). A pointwise case costs one
    /// encoder pass per candidate (100 under the default protocol), so large evaluations may cap it; reports say so.
    /// </summary>
    public int? PointwiseMaxCases { get; init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(PointwiseMaxCases), value, "GenSREvaluationOptions.PointwiseMaxCases must be at least 1 or null."); }

    /// <summary>Tasks each case is evaluated in. Default both.</summary>
    public IReadOnlyList<TaskKind> Tasks { get; init => field = value is { Count: > 0 } ? value : throw new ArgumentException("GenSREvaluationOptions.Tasks needs at least one task.", nameof(Tasks)); } = [TaskKind.Recommendation, TaskKind.Search];
}
