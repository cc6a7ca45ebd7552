using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// Options of <see cref="GenSRTrainer"/>. Defaults follow the paper where it gives values (λ = 0.01, τ = 0.07, AdamW,
/// warm-up, gradient clipping 1.0, early stopping on validation; arXiv 2504.06714) except two: the learning rate (the
/// paper fine-tunes a pretrained flan-t5 at 1e-4, a small backbone trained from scratch wants 1e-3) and the decay after
/// warm-up (the paper decays linearly to 0 at the last epoch; the default here is the inverse square root of T5 and
/// TIGER, so the epoch cap does not change how the model trains). Immutable; every value is checked where it is set.
/// </summary>
public sealed record GenSRTrainingOptions
{
    /// <summary>
    /// TIGER's training from the library's parts: next-item generation only (no search, indexing, pointwise or dense rows,
    /// no contrastive loss between views, which a TIGER configuration does not have), warm-up then inverse-square-root
    /// decay as in TIGER (Rajput et al., NeurIPS 2023, §4.1). Learning rate, batch size and budgets are kept from
    /// <paramref name="options"/>: TIGER's own (Adagrad, 0.01, batch 256, 200k steps) suit a GPU budget, not this
    /// optimiser's defaults.
    /// </summary>
    /// <param name="options">The options to start from.</param>
    /// <returns>The TIGER training options.</returns>
    public static GenSRTrainingOptions Tiger(GenSRTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with
        {
            Tasks = [TaskKind.Recommendation],
            IndexingFraction = 0,
            PointwiseFraction = 0,
            DenseWeight = 0,
            ContrastiveWeight = 0,
            Schedule = LearningRateSchedule.InverseSquareRoot,
        };
    }

    /// <summary>
    /// Most passes over the training rows. Default 100; 1 … 10,000. It is a cap, not a schedule length: training normally
    /// ends by early stopping (<see cref="Patience"/>) or a budget (<see cref="MaxSteps"/>, <see cref="MaxDuration"/>),
    /// and only <see cref="LearningRateSchedule.Linear"/> decays over it.
    /// </summary>
    public int Epochs { get; init => field = OptionGuard.InRange(value, 1, 10_000, nameof(Epochs), nameof(GenSRTrainingOptions)); } = 100;

    /// <summary>Stop after this many optimisation steps (the best validated weights are kept). Null (default): no step budget.</summary>
    public int? MaxSteps { get; init => field = OptionGuard.AtLeast(value, 1, nameof(MaxSteps), nameof(GenSRTrainingOptions)); }

    /// <summary>
    /// Stop once this much wall time has passed (checked between steps; a validation is run first, so the last stretch
    /// counts, and the best validated weights are kept). Null (default): no time budget.
    /// </summary>
    public TimeSpan? MaxDuration
    {
        get;
        init => field = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDuration), value, "GenSRTrainingOptions.MaxDuration must be positive or null.");
    }

    /// <summary>Rows per optimisation step. Default 64; 2 … 65,536 (InfoNCE needs in-batch negatives).</summary>
    public int BatchSize { get; init => field = OptionGuard.InRange(value, 2, 65_536, nameof(BatchSize), nameof(GenSRTrainingOptions)); } = 64;

    /// <summary>
    /// Peak AdamW learning rate. Default 1e-3; (0, 1]. A backbone trained from scratch is sensitive to it: on the demo
    /// data (about 750 steps) 5e-3 halved validation NDCG@10 and kept the pointwise Yes/No answer at chance, while runs
    /// of only a few hundred steps learned faster at 3e-3 (docs/evaluation.md, "Learning rate and pointwise mode").
    /// </summary>
    public double LearningRate
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(LearningRate), nameof(GenSRTrainingOptions), minExclusive: true);
    } = 1e-3;

    /// <summary>AdamW weight decay, applied only to weights with two or more dimensions. Default 0.01; [0, 1].</summary>
    public double WeightDecay { get; init => field = OptionGuard.InRange(value, 0, 1, nameof(WeightDecay), nameof(GenSRTrainingOptions)); } = 0.01;

    /// <summary>Steps of linear learning-rate warm-up from 0 to <see cref="LearningRate"/>. Default 200; 0 … 1,000,000.</summary>
    public int WarmupSteps { get; init => field = OptionGuard.InRange(value, 0, 1_000_000, nameof(WarmupSteps), nameof(GenSRTrainingOptions)); } = 200;

    /// <summary>
    /// What the learning rate does after warm-up. Default <see cref="LearningRateSchedule.InverseSquareRoot"/> (T5's and
    /// TIGER's schedule), which does not depend on <see cref="Epochs"/>, so a high epoch cap with early stopping trains the
    /// same as a low one.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.InverseSquareRoot;

    /// <summary>
    /// Batch generative rows of similar history length: the shuffled rows are cut into pools of
    /// <see cref="GenSRTrainer.BucketPoolBatches"/> batches, each pool is sorted by history length and cut into batches,
    /// and the batches are shuffled. Padding (prompt, both history views) then shrinks to what the rows need, which
    /// speeds up data with many short histories; each epoch still draws new batches. Default false.
    /// </summary>
    public bool BucketByLength { get; init; }

    /// <summary>Global gradient-norm clip. Default 1.0; &gt; 0.</summary>
    public double MaxGradNorm
    {
        get;
        init => field = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), value, "GenSRTrainingOptions.MaxGradNorm must be positive.");
    } = 1.0;

    /// <summary>λ, the weight of the contrastive loss between the CF and semantic user vectors. Default 0.01; [0, 100].</summary>
    public double ContrastiveWeight
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 100, nameof(ContrastiveWeight), nameof(GenSRTrainingOptions));
    } = 0.01;

    /// <summary>τ, the InfoNCE temperature. Default 0.07; (0, 100].</summary>
    public double Temperature
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 100, nameof(Temperature), nameof(GenSRTrainingOptions), minExclusive: true);
    } = 0.07;

    /// <summary>
    /// Weight of the dense head's full-softmax cross-entropy (next item over the whole catalogue) beside the language-model
    /// loss, for models with a dense head (<see cref="GenSRModelConfig.DenseDimension"/>); ignored otherwise. Default 1;
    /// in [0, 100]. 0 leaves the head untrained.
    /// </summary>
    public double DenseWeight { get; init => field = OptionGuard.InRange(value, 0, 100, nameof(DenseWeight), nameof(GenSRTrainingOptions)); } = 1.0;

    /// <summary>
    /// Share of training examples that also give a pointwise Yes/No row (half positives, half sampled negatives). Default 0:
    /// generative retrieval only; a model that will rank by P(Yes) needs a positive share (0.3 … 0.5 learned on the demo data).
    /// [0, 1].
    /// </summary>
    public double PointwiseFraction { get; init => field = OptionGuard.InRange(value, 0, 1, nameof(PointwiseFraction), nameof(GenSRTrainingOptions)); }

    /// <summary>
    /// Indexing rows per catalogue item and epoch: the item's own text as a search query with an empty history, answered by
    /// its identifier (the indexing task of DSI, Tay et al. 2022, also used by GenSAR), so identifier tokens get meaning
    /// from text. 1 gives every item one row per epoch; 0.5 a seeded half of them; 0 none. Default 1: on the demo data
    /// (seed 42, 3 epochs) it raised validation NDCG@10 from 0.244 to 0.273 for a few hundred extra rows per epoch
    /// (docs/evaluation.md). [0, 10]. Needs <see cref="TaskKind.Search"/> among <see cref="Tasks"/>; ignored otherwise.
    /// </summary>
    public double IndexingFraction { get; init => field = OptionGuard.InRange(value, 0, 10, nameof(IndexingFraction), nameof(GenSRTrainingOptions)); } = 1;

    /// <summary>The tasks trained (and validated). Default both; one task gives the single-task ablation.</summary>
    public IReadOnlyList<TaskKind> Tasks
    {
        get;
        init => field = value is { Count: > 0 }
            ? value.Distinct().ToArray()
            : throw new ArgumentException("GenSRTrainingOptions.Tasks needs at least one task.", nameof(Tasks));
    } = [TaskKind.Recommendation, TaskKind.Search];

    /// <summary>Validate every this many steps; null (default) validates at the end of every epoch.</summary>
    public int? ValidateEvery { get; init => field = OptionGuard.AtLeast(value, 1, nameof(ValidateEvery), nameof(GenSRTrainingOptions)); }

    /// <summary>Validation cases used (a fixed seeded sample, the same at every validation; null = all). Default 1,000.</summary>
    public int? ValidationCases { get; init => field = OptionGuard.AtLeast(value, 1, nameof(ValidationCases), nameof(GenSRTrainingOptions)); } = 1000;

    /// <summary>Stop after this many validations without a better NDCG@10. Default 4; 1 … 1000.</summary>
    public int Patience { get; init => field = OptionGuard.InRange(value, 1, 1000, nameof(Patience), nameof(GenSRTrainingOptions)); } = 4;

    /// <summary>
    /// Beams of the validation beam search. Default 40: the 20 ranked positions plus 20 spare for items the user has seen,
    /// which are excluded from the ranking as in the test protocol; 20 … 4096.
    /// </summary>
    public int ValidationBeams { get; init => field = OptionGuard.InRange(value, 20, 4096, nameof(ValidationBeams), nameof(GenSRTrainingOptions)); } = 40;

    /// <summary>Measure the gradient conflict between the two tasks every this many steps (0 = never). Default 0.</summary>
    public int GradientConflictEvery
    {
        get;
        init => field = OptionGuard.InRange(value, 0, int.MaxValue, nameof(GradientConflictEvery), nameof(GenSRTrainingOptions));
    }

    /// <summary>
    /// λ of the gradient-conflict probe: each task's probed loss is (1 − λ) · language-model loss + λ · the dense head's
    /// cross-entropy (<see cref="GradientConflictProbe.Measure"/>). Default 0, the paper's probe; in [0, 1].
    /// </summary>
    public double GradientConflictDenseMix
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(GradientConflictDenseMix), nameof(GenSRTrainingOptions));
    }

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
}
