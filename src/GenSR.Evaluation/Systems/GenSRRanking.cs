namespace GenSR.Evaluation.Systems;

/// <summary>How a generative <see cref="GenSRSystem"/> ranks the catalogue.</summary>
public enum GenSRRanking
{
    /// <summary>Trie-constrained beam search: the generated list is the ranking; a target outside it is a miss.</summary>
    BeamSearch = 0,

    /// <summary>The exact generative log-likelihood of every item's identifier (no beam, no misses).</summary>
    Exact = 1,

    /// <summary>The dense head's score of every item alone.</summary>
    Dense = 2,

    /// <summary>
    /// Exact generative log-likelihood + w · dense score, with w chosen per task on validation from
    /// <see cref="GenSRSystemOptions.FusionWeights"/> (w = 0 is the generative ranking).
    /// </summary>
    Fused = 3,
}
