namespace GenSR.Unify;

/// <summary>What the semantic history view of <see cref="GenSRModel"/> reads for each history item.</summary>
public enum SemanticViewInput
{
    /// <summary>
    /// The first <see cref="GenSRModelConfig.TitleTokens"/> title tokens, embedded with the backbone's shared token embedding
    /// (the paper's semantic view): a Transformer over up to history × title-tokens positions.
    /// </summary>
    TitleTokens = 0,

    /// <summary>
    /// The item's frozen text vector (the model's item text-vector table, e.g. from a pretrained sentence encoder), projected
    /// to the view's width: one position per history item, so the view costs a small fraction of the title-token view.
    /// </summary>
    ItemVectors = 1,
}
