namespace GenSR.Evaluation;

/// <summary>How the harness obtains a ranking from a system under one protocol (see <see cref="ProtocolEvaluator.MethodFor"/>).</summary>
public enum RankingMethod
{
    /// <summary>Full ranking from <see cref="ICatalogScorer.ScoreCatalog"/>: rank among all items.</summary>
    CatalogScores = 0,

    /// <summary>Full ranking from <see cref="ITopKGenerator.Generate"/>: position in the generated list, else not found.</summary>
    GeneratedList = 1,

    /// <summary>Sampled ranking from <see cref="ICandidateScorer.ScoreCandidates"/>.</summary>
    CandidateScores = 2,

    /// <summary>Sampled ranking from <see cref="ICatalogScorer.ScoreCatalog"/>, reading the candidates' columns.</summary>
    CatalogScoresAtCandidates = 3,
}
