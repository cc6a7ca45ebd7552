using GenSR.Core.Data;
using GenSR.Unify.T5;

namespace GenSR.Unify.Training;

/// <summary>
/// Options of <see cref="GenSRTrainer"/>. Defaults follow the paper where it gives values (λ = 0.01, τ = 0.07, AdamW,
/// warm-up then linear decay, gradient clipping 1.0, early stopping on validation; arXiv 2504.06714) except the learning
/// rate: the paper fine-tunes a pretrained flan-t5 at 1e-4, a small backbone trained from scratch wants 1e-3.
/// Immutable; every value is checked where it is set.
/// </summary>
public sealed record GenSRTrainingOptions
{
    /// <summary>Maximum passes over the training examples. Default 10; 1 … 10,000.</summary>
    public int Epochs { get; init => field = Range(value, 1, 10_000, nameof(Epochs)); } = 10;

    /// <summary>Rows per optimisation step. Default 64; 2 … 65,536 (InfoNCE needs in-batch negatives).</summary>
    public int BatchSize { get; init => field = Range(value, 2, 65_536, nameof(BatchSize)); } = 64;

    /// <summary>
    /// Peak AdamW learning rate. Default 1e-3; (0, 1]. A backbone trained from scratch is sensitive to it: on the demo
    /// data (about 750 steps) 5e-3 halved validation NDCG@10 and kept the pointwise Yes/No answer at chance, while runs
    /// of only a few hundred steps learned faster at 3e-3 (docs/evaluation.md, "Learning rate and pointwise mode").
    /// </summary>
    public double LearningRate { get; init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "GenSRTrainingOptions.LearningRate must be in (0, 1]."); } = 1e-3;

    /// <summary>AdamW weight decay, applied only to weights with two or more dimensions. Default 0.01; [0, 1].</summary>
    public double WeightDecay { get; init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "GenSRTrainingOptions.WeightDecay must be in [0, 1]."); } = 0.01;

    /// <summary>Share of all steps spent warming the learning rate up linearly; the rest decays linearly to 0. Default 0.05; [0, 1).</summary>
    public double WarmupRatio { get; init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupRatio), value, "GenSRTrainingOptions.WarmupRatio must be in [0, 1)."); } = 0.05;

    /// <summary>Global gradient-norm clip. Default 1.0; &gt; 0.</summary>
    public double MaxGradNorm { get; init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), value, "GenSRTrainingOptions.MaxGradNorm must be positive."); } = 1.0;

    /// <summary>λ, the weight of the contrastive loss between the CF and semantic user vectors. Default 0.01; [0, 100].</summary>
    public double ContrastiveWeight { get; init => field = value is >= 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(ContrastiveWeight), value, "GenSRTrainingOptions.ContrastiveWeight must be in [0, 100]."); } = 0.01;

    /// <summary>τ, the InfoNCE temperature. Default 0.07; (0, 100].</summary>
    public double Temperature { get; init => field = value is > 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "GenSRTrainingOptions.Temperature must be in (0, 100]."); } = 0.07;

    /// <summary>Share of training examples that also give a pointwise row (half positives, half sampled negatives). 0 trains generative mode only. Default 0.3; [0, 1].</summary>
    public double PointwiseFraction { get; init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(PointwiseFraction), value, "GenSRTrainingOptions.PointwiseFraction must be in [0, 1]."); } = 0.3;

    /// <summary>The tasks trained (and validated). Default both; one task gives the single-task ablation.</summary>
    public IReadOnlyList<TaskKind> Tasks { get; init => field = value is { Count: > 0 } ? value.Distinct().ToArray() : throw new ArgumentException("GenSRTrainingOptions.Tasks needs at least one task.", nameof(Tasks)); } = [TaskKind.Recommendation, TaskKind.Search];

    /// <summary>Validate every this many steps; null (default) validates at the end of every epoch.</summary>
    public int? ValidateEvery { get; init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValidateEvery), value, "GenSRTrainingOptions.ValidateEvery must be at least 1 or null."); }

    /// <summary>Validation cases used (the first ones; null = all). Default 500.</summary>
    public int? ValidationCases { get; init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValidationCases), value, "GenSRTrainingOptions.ValidationCases must be at least 1 or null."); } = 500;

    /// <summary>Stop after this many validations without a better NDCG@10. Default 3; 1 … 1000.</summary>
    public int Patience { get; init => field = Range(value, 1, 1000, nameof(Patience)); } = 3;

    /// <summary>Beams of the validation beam search. Default 20; 20 … 4096.</summary>
    public int ValidationBeams { get; init => field = Range(value, 20, 4096, nameof(ValidationBeams)); } = 20;

    /// <summary>Measure the gradient conflict between the two tasks every this many steps (0 = never). Default 0.</summary>
    public int GradientConflictEvery { get; init => field = Range(value, 0, int.MaxValue, nameof(GradientConflictEvery)); }

    /// <summary>Numeric precision of the backbone while training. Default float32; bf16 autocast is meant for CUDA.</summary>
    public T5Precision Precision { get; init; } = T5Precision.Float32;

    /// <summary>
    /// Folder for checkpoints: <c>best/</c> (best validation NDCG@10) and <c>last/</c> (latest validation, with optimizer
    /// state, for <see cref="ResumeFrom"/>). Null (default): the best weights are kept in memory only.
    /// </summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>A <c>last/</c> checkpoint folder to resume from (weights, optimizer, step, best score). Null: start fresh.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Seed of shuffling, negative sampling and dropout. Default 42.</summary>
    public long Seed { get; init; } = 42;

    private static int Range(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"GenSRTrainingOptions.{name} must be in [{min}, {max}].");
}
