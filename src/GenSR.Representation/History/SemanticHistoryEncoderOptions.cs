using GenSR.Core;
namespace GenSR.Representation;

/// <summary>
/// Options of <see cref="SemanticHistoryEncoder"/>. Every property is validated when set; an out-of-range value throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range. Defaults follow the GenSR paper
/// (Zhao et al., arXiv 2504.06714): the first 10 title tokens per item, a 1-layer Transformer with 2 heads, histories
/// of at most 20 events.
/// </summary>
public sealed record SemanticHistoryEncoderOptions
{
    /// <summary>Width d_lm of the shared token embedding (the language model's input embedding). Required; 1 … 65,536.</summary>
    public required int TokenDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(TokenDimension), nameof(SemanticHistoryEncoderOptions));
    }

    /// <summary>
    /// Width of the Transformer. Null (default): <see cref="TokenDimension"/>, so the semantic view stays in the language
    /// model's token space (no input projection); else 1 … 65,536. A multiple of <see cref="Heads"/>.
    /// </summary>
    public int? ModelDimension { get; init => field = OptionGuard.InRange(value, 1, 65_536, nameof(ModelDimension), nameof(SemanticHistoryEncoderOptions)); }

    /// <summary>Attention heads of the Transformer layer. Default 2; 1 … 64.</summary>
    public int Heads { get; init => field = OptionGuard.InRange(value, 1, 64, nameof(Heads), nameof(SemanticHistoryEncoderOptions)); } = 2;

    /// <summary>Width of the Transformer's feed-forward layer. Null (default): 4 × the model width; else 1 … 262,144.</summary>
    public int? FeedForwardDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 262_144, nameof(FeedForwardDimension), nameof(SemanticHistoryEncoderOptions));
    }

    /// <summary>
    /// Width of the target vectors the caller passes. Null (default): <see cref="TokenDimension"/>, the width of a
    /// query's or a candidate title's mean token embedding (<see cref="HistoryTarget.FromTokens"/>) and of
    /// <see cref="TaskTarget"/> vectors built for it; else 1 … 65,536.
    /// </summary>
    public int? TargetDimension { get; init => field = OptionGuard.InRange(value, 1, 65_536, nameof(TargetDimension), nameof(SemanticHistoryEncoderOptions)); }

    /// <summary>Width d_out of the output vector. Null (default): the model width; else 1 … 65,536.</summary>
    public int? OutputDimension { get; init => field = OptionGuard.InRange(value, 1, 65_536, nameof(OutputDimension), nameof(SemanticHistoryEncoderOptions)); }

    /// <summary>Longest history in items. Default 20; 1 … 4096.</summary>
    public int MaxHistoryLength
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxHistoryLength), nameof(SemanticHistoryEncoderOptions));
    } = 20;

    /// <summary>Most title tokens per item (the paper keeps the first ~10). Default 10; 1 … 512.</summary>
    public int MaxTokensPerItem
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 512, nameof(MaxTokensPerItem), nameof(SemanticHistoryEncoderOptions));
    } = 10;

    /// <summary>Whether a learned embedding of each item's task (search or recommendation) is added to its tokens. Default true.</summary>
    public bool UseTaskEmbedding { get; init; } = true;

    /// <summary>Whether learned embeddings of each item's recency rank and each token's index within its item are added. Default true.</summary>
    public bool UsePositionEmbedding { get; init; } = true;

    /// <summary>
    /// Whether padding tokens are dropped before the Transformer: each row's real tokens are moved to the front (in order)
    /// and the sequence is cut to the longest row's real-token count. The output is the same up to float rounding, since
    /// padding gets no attention and no filter weight; it only saves work, which is large when titles are shorter than
    /// <see cref="MaxTokensPerItem"/> (MovieLens titles average about four words). Default true.
    /// </summary>
    public bool CompactPadding { get; init; } = true;

    /// <summary>Dropout on the inputs and inside the Transformer while training. Default 0.1; in [0, 1).</summary>
    public double Dropout
    {
        get;
        init => field = OptionGuard.InRange(value, 0.0, 1.0, nameof(Dropout), nameof(SemanticHistoryEncoderOptions), maxExclusive: true);
    } = 0.1;
}
