using GenSR.Core;
namespace GenSR.Representation;

/// <summary>
/// BPR training of a <see cref="CollaborativeModel"/> with early stopping on validation Recall@K. Defaults follow
/// LightGCN (He et al., SIGIR 2020, §4.1.2): Adam with learning rate 0.001, mini-batches of 2048 pairs, L2 weight 1e-4
/// on the batch's layer-0 embeddings, early stopping when Recall@20 has not improved for 50 epochs.
/// </summary>
public sealed record CollaborativeTrainingOptions
{
    private readonly int _maxEpochs = 1000;
    private readonly int _batchSize = 2048;
    private readonly double _learningRate = 1e-3;
    private readonly double _l2Weight = 1e-4;
    private readonly int _evaluateEvery = 1;
    private readonly int _patience = 50;
    private readonly int _recallK = 20;
    private readonly int _negativeResamplingRounds = 3;
    private readonly int _evaluationBatchSize = 1024;

    /// <summary>Upper bound on the number of epochs (default 1000; 1 … 1,000,000).</summary>
    public int MaxEpochs
    {
        get => _maxEpochs;
        init => _maxEpochs = OptionGuard.InRange(value, 1, 1_000_000, nameof(MaxEpochs), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Training pairs per mini-batch (default 2048; at least 1).</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = OptionGuard.AtLeast(value, 1, nameof(BatchSize), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Adam learning rate (default 0.001; in (0, 10]).</summary>
    public double LearningRate
    {
        get => _learningRate;
        init => _learningRate = OptionGuard.InRange(value, 0, 10, nameof(LearningRate), nameof(CollaborativeTrainingOptions), minExclusive: true);
    }

    /// <summary>
    /// Weight λ of the L2 term <c>½(‖e_u‖² + ‖e_i‖² + ‖e_j‖²) / batch</c> on the batch's layer-0 embeddings (default 1e-4; in [0, 10]).
    /// </summary>
    public double L2Weight
    {
        get => _l2Weight;
        init => _l2Weight = OptionGuard.InRange(value, 0, 10, nameof(L2Weight), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Evaluate validation Recall@K every this many epochs (default 1; at least 1).</summary>
    public int EvaluateEvery
    {
        get => _evaluateEvery;
        init => _evaluateEvery = OptionGuard.AtLeast(value, 1, nameof(EvaluateEvery), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Stop after this many consecutive evaluations without a new best Recall@K (default 50; at least 1).</summary>
    public int Patience
    {
        get => _patience;
        init => _patience = OptionGuard.AtLeast(value, 1, nameof(Patience), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>The K of validation Recall@K (default 20; at least 1).</summary>
    public int RecallK
    {
        get => _recallK;
        init => _recallK = OptionGuard.AtLeast(value, 1, nameof(RecallK), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>
    /// Negatives are drawn uniformly over all items; a draw that hits one of the user's training items is redrawn up to this
    /// many times (default 3; 0 … 20; 0 = plain uniform sampling).
    /// </summary>
    public int NegativeResamplingRounds
    {
        get => _negativeResamplingRounds;
        init => _negativeResamplingRounds = OptionGuard.InRange(value, 0, 20, nameof(NegativeResamplingRounds), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Users scored at once during full-ranking evaluation (default 1024; at least 1); bounds memory to <c>batch × items</c> scores.</summary>
    public int EvaluationBatchSize
    {
        get => _evaluationBatchSize;
        init => _evaluationBatchSize = OptionGuard.AtLeast(value, 1, nameof(EvaluationBatchSize), nameof(CollaborativeTrainingOptions));
    }

    /// <summary>Seed of the pair shuffling and negative sampling (default 42).</summary>
    public long Seed { get; init; } = 42;
}
