namespace GenSR.Unify;

/// <summary>How <see cref="GenSRRecommender.ScoreCandidates"/> scores a given candidate list.</summary>
public enum CandidateScoring
{
    /// <summary>P(Yes) of the pointwise prompt that contains the candidate (one encoder pass per candidate).</summary>
    Pointwise = 0,

    /// <summary>Log-probability of the candidate's identifier under the generative prompt (one encoder pass per request).</summary>
    Generative = 1,

    /// <summary>The catalogue ranking score of <see cref="GenSRRankingOptions"/> (exact, dense or fused), read at the candidates.</summary>
    Ranking = 2,
}
