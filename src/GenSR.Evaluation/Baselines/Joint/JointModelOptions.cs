using GenSR.Core;
namespace GenSR.Evaluation;

/// <summary>
/// Hyper-parameters of <see cref="JointSearchRecModel"/>, a discriminative joint search-and-recommendation model of the
/// JSR / UniSAR family. Defaults: width 64, 2 pre-norm Transformer layers with 2 heads, histories of 20 events, dropout
/// 0.2, item text and query words of at most 24 and 16 words, Adam with batches of 64 windows at learning rate 0.002. Every value is validated when set.
/// </summary>
public sealed record JointModelOptions
{
    /// <summary>Width d of embeddings and hidden states, in [1, 4096]; a multiple of <see cref="Heads"/>. Default 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int HiddenSize
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(HiddenSize), nameof(JointModelOptions));
    } = 64;

    /// <summary>Transformer layers of the shared history encoder, in [1, 16]. Default 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Layers
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 16, nameof(Layers), nameof(JointModelOptions));
    } = 2;

    /// <summary>Attention heads per layer, in [1, 64]. Default 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Heads
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 64, nameof(Heads), nameof(JointModelOptions));
    } = 2;

    /// <summary>The longest history (size of the positional table), in [1, 4096]. Default 20, the evaluation's history cap.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxLength
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxLength), nameof(JointModelOptions));
    } = 20;

    /// <summary>Dropout rate, in [0, 1). Default 0.2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double Dropout
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 1, nameof(Dropout), nameof(JointModelOptions), maxExclusive: true);
    } = 0.2;

    /// <summary>Distinct query words kept per query, in [1, 256]. Default 16.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxQueryWords
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 256, nameof(MaxQueryWords), nameof(JointModelOptions));
    } = 16;

    /// <summary>Distinct words of an item's title, brand and categories kept for its text embedding, in [1, 256]. Default 24.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxItemWords
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 256, nameof(MaxItemWords), nameof(JointModelOptions));
    } = 24;

    /// <summary>
    /// Whether an item's representation adds the projected mean of its text's word embeddings (shared with the query
    /// encoder) to its id embedding, so queries can match items by words. Default <c>true</c>.
    /// </summary>
    public bool UseItemText { get; init; } = true;

    /// <summary>Weight of the search loss against the recommendation loss, in [0, 100]. Default 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public double SearchLossWeight
    {
        get;
        init => field = OptionGuard.InRange(value, 0, 100, nameof(SearchLossWeight), nameof(JointModelOptions));
    } = 1;

    /// <summary>
    /// Optimisation and early-stopping settings. Default: batches of 64 windows at learning rate 0.002 (twice the steps
    /// of SASRec's setting at a higher rate; the two heads converge markedly faster on validation with it).
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public SequenceTrainingOptions Training
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Training), "JointModelOptions.Training must not be null.");
    } = new() { BatchSize = 64, LearningRate = 2e-3 };

    /// <summary>Checks the options that depend on each other.</summary>
    /// <exception cref="ArgumentException"><see cref="HiddenSize"/> is not a multiple of <see cref="Heads"/>.</exception>
    public void Validate()
    {
        if (HiddenSize % Heads != 0)
            throw new ArgumentException($"JointModelOptions.HiddenSize ({HiddenSize}) must be a multiple of Heads ({Heads}).");
    }
}
