namespace GenSR.Evaluation.Harness;

/// <summary>How the harness obtains a ranking from a system under one protocol (see <see cref="ProtocolEvaluator.MethodFor"/>).</summary>
public enum RankingMethod
{
    /// <summary>Full ranking from <see cref="ICatalogueScorer.ScoreCatalogue"/>: rank among all items.</summary>
    CatalogueScores = 0,

    /// <summary>Full ranking from <see cref="ITopKGenerator.Generate"/>: position in the generated list, else not found.</summary>
    GeneratedList = 1,

    /// <summary>Sampled ranking from <see cref="ICandidateScorer.ScoreCandidates"/>.</summary>
    CandidateScores = 2,

    /// <summary>Sampled ranking from <see cref="ICatalogueScorer.ScoreCatalogue"/>, reading the candidates' columns.</summary>
    CatalogueScoresAtCandidates = 3,
}
