using GenSR.Core;
using GenSR.Decoding;
using GenSR.Unify;

namespace GenSR.Evaluation;

/// <summary>How one GenSR variant is built and trained for the harness.</summary>
/// <param name="Name">Name in reports.</param>
/// <param name="Pipeline">Representations, identifiers and model size (device and seed are set by the harness).</param>
/// <param name="Training">Trainer options (seed set by the harness).</param>
/// <param name="Pointwise">Rank with P(Yes) of the pointwise prompt (sampled protocol only) instead of generative retrieval.</param>
/// <param name="SeparateTasks">Train two single-task models (recommendation only, search only) instead of one unified model.</param>
/// <param name="Ranking">How full ranking (and generative sampled ranking) scores items; <see cref="GenSRRankingMode.Dense"/> and
/// <see cref="GenSRRankingMode.Fused"/> need a dense head (<see cref="GenSRPipelineOptions.DenseDimension"/>).</param>
/// <param name="Normalization">How exact generative scores normalise each step.</param>
public sealed record GenSRSystemOptions(string Name, GenSRPipelineOptions Pipeline, GenSRTrainingOptions Training, bool Pointwise = false,
    bool SeparateTasks = false,
                                        GenSRRankingMode Ranking = GenSRRankingMode.BeamSearch, CatalogNormalization Normalization = CatalogNormalization.Trie)
{
    /// <summary>
    /// The dense weights <c>w</c> tried on validation by <see cref="GenSRRankingMode.Fused"/> (score = generative + w · dense):
    /// 0 is the generative ranking and +∞ the dense ranking, so validation can also pick either component alone.
    /// </summary>
    public static IReadOnlyList<double> FusionWeights { get; } = [0, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, double.PositiveInfinity];

    /// <summary>The tasks a single-task model of <paramref name="task"/> trains on.</summary>
    public static IReadOnlyList<TaskKind> Only(TaskKind task) => [task];
}
