using GenSR.Core;
namespace GenSR.Evaluation;

/// <summary>
/// Hyper-parameters of SASRec (Kang &amp; McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018). Defaults follow
/// the paper (2 self-attention blocks, 1 head, learned positional embedding, shared item embedding for input and
/// prediction, dropout 0.2, Adam lr 0.001 β2 0.98, batch 128) with width 64 and the history cap of 20 of this evaluation.
/// Every value is validated when set.
/// </summary>
public sealed record SasRecOptions
{
    /// <summary>Width d of the item embeddings and hidden states, in [1, 4096]; a multiple of <see cref="Heads"/>. Default 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int HiddenSize
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(HiddenSize), nameof(SasRecOptions));
    } = 64;

    /// <summary>Self-attention blocks, in [1, 16]. Default 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Blocks
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 16, nameof(Blocks), nameof(SasRecOptions));
    } = 2;

    /// <summary>Attention heads, in [1, 64]. Default 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Heads
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 64, nameof(Heads), nameof(SasRecOptions));
    } = 1;

    /// <summary>The longest input sequence n (size of the positional table), in [1, 4096]. Default 20, the evaluation's history cap.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxLength
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxLength), nameof(SasRecOptions));
    } = 20;

    /// <summary>Dropout rate on embeddings, attention and feed-forward layers, in [0, 1). Default 0.2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double Dropout
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(Dropout), nameof(SasRecOptions), maxExclusive: true);
    } = 0.2;

    /// <summary>The training objective. Default <see cref="SasRecLoss.SoftmaxCrossEntropy"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined loss.</exception>
    public SasRecLoss Loss
    {
        get;
        init => field = OptionGuard.Defined(value, nameof(Loss), nameof(SasRecOptions));
    } = SasRecLoss.SoftmaxCrossEntropy;

    /// <summary>Optimisation and early-stopping settings.</summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public SequenceTrainingOptions Training
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Training), "SasRecOptions.Training must not be null.");
    } = new();

    /// <summary>Checks the options that depend on each other.</summary>
    /// <exception cref="ArgumentException"><see cref="HiddenSize"/> is not a multiple of <see cref="Heads"/>.</exception>
    public void Validate()
    {
        if (HiddenSize % Heads != 0)
            throw new ArgumentException($"SasRecOptions.HiddenSize ({HiddenSize}) must be a multiple of Heads ({Heads}).");
    }
}
