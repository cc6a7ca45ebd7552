using GenSR.Core.Data;
using GenSR.Unify.Pipeline;
using GenSR.Unify.Training;

namespace GenSR.Evaluation.Systems;

/// <summary>How one GenSR variant is built and trained for the harness.</summary>
/// <param name="Name">Name in reports.</param>
/// <param name="Pipeline">Representations, identifiers and model size (device and seed are set by the harness).</param>
/// <param name="Training">Trainer options (seed set by the harness).</param>
/// <param name="Pointwise">Rank with P(Yes) of the pointwise prompt (sampled protocol only) instead of generative retrieval.</param>
/// <param name="SeparateTasks">Train two single-task models (recommendation only, search only) instead of one unified model.</param>
public sealed record GenSRSystemOptions(string Name, GenSRPipelineOptions Pipeline, GenSRTrainingOptions Training, bool Pointwise = false, bool SeparateTasks = false)
{
    /// <summary>The tasks a single-task model of <paramref name="task"/> trains on.</summary>
    public static IReadOnlyList<TaskKind> Only(TaskKind task) => [task];
}
