namespace GenSR.Core;

/// <summary>Which candidates the target is ranked against. Every report states it.</summary>
public enum EvaluationProtocol
{
    /// <summary>The target is ranked against the whole catalogue (for generative retrieval: the decoded top-K list over all items).</summary>
    FullRanking = 0,

    /// <summary>The target is ranked against a seeded sample of negatives (1 positive + N negatives; see <see cref="SampledCandidates"/>).</summary>
    Sampled = 1,
}
