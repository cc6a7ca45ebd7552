using GenSR.Core;
namespace GenSR.Representation;

/// <summary>
/// Options of <see cref="CollaborativeHistoryEncoder"/>. Every property is validated when set; an out-of-range value
/// throws <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range. Defaults follow the GenSR
/// paper (Zhao et al., arXiv 2504.06714): 64-d LightGCN item vectors, a 1-layer Transformer with 2 heads, histories of
/// at most 20 events.
/// </summary>
public sealed record CollaborativeHistoryEncoderOptions
{
    /// <summary>Width d_cf of the CF item embeddings in the history. Default 64; 1 … 65,536.</summary>
    public int ItemDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(ItemDimension), nameof(CollaborativeHistoryEncoderOptions));
    } = 64;

    /// <summary>Width of the Transformer (item embeddings are projected to it). Default 64; 1 … 65,536; a multiple of <see cref="Heads"/>.</summary>
    public int ModelDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(ModelDimension), nameof(CollaborativeHistoryEncoderOptions));
    } = 64;

    /// <summary>Attention heads of the Transformer layer. Default 2; 1 … 64.</summary>
    public int Heads { get; init => field = OptionGuard.InRange(value, 1, 64, nameof(Heads), nameof(CollaborativeHistoryEncoderOptions)); } = 2;

    /// <summary>Width of the Transformer's feed-forward layer. Null (default): 4 × <see cref="ModelDimension"/>; else 1 … 262,144.</summary>
    public int? FeedForwardDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 262_144, nameof(FeedForwardDimension), nameof(CollaborativeHistoryEncoderOptions));
    }

    /// <summary>
    /// Width of the target vectors the caller passes. Null (default): <see cref="ItemDimension"/> (the candidate's CF
    /// vector, pointwise mode); in generative mode, the width of the query encoding and of the <see cref="TaskTarget"/>
    /// vectors. 1 … 65,536.
    /// </summary>
    public int? TargetDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(TargetDimension), nameof(CollaborativeHistoryEncoderOptions));
    }

    /// <summary>Width d_out of the output vector. Null (default): <see cref="ModelDimension"/>; else 1 … 65,536.</summary>
    public int? OutputDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(OutputDimension), nameof(CollaborativeHistoryEncoderOptions));
    }

    /// <summary>Longest history (size of the position table; the paper caps histories at 20). Default 20; 1 … 4096.</summary>
    public int MaxHistoryLength
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 4096, nameof(MaxHistoryLength), nameof(CollaborativeHistoryEncoderOptions));
    } = 20;

    /// <summary>Width of the hidden layer of the DIN activation unit that scores history entries against the target. Default 64; 1 … 65,536.</summary>
    public int AttentionHiddenDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 1, 65_536, nameof(AttentionHiddenDimension), nameof(CollaborativeHistoryEncoderOptions));
    } = 64;

    /// <summary>Whether a learned embedding of each event's task (search or recommendation) is added. Default true.</summary>
    public bool UseTaskEmbedding { get; init; } = true;

    /// <summary>Whether a learned embedding of each event's recency rank is added. Default true.</summary>
    public bool UsePositionEmbedding { get; init; } = true;

    /// <summary>Dropout on the inputs and inside the Transformer while training. Default 0.1; in [0, 1).</summary>
    public double Dropout
    {
        get;
        init => field = OptionGuard.InRange(value, 0.0, 1.0, nameof(Dropout), nameof(CollaborativeHistoryEncoderOptions), maxExclusive: true);
    } = 0.1;
}
