namespace GenSR.Evaluation;

/// <summary>
/// A system whose ranking combines parts of one trained model (for example a generative and a dense score). After the
/// system is ranked, the harness ranks each of its <see cref="Components"/> as a row of its own, so a report shows what
/// every part gives on its own from the very same trained weights.
/// </summary>
/// <remarks>
/// A component is a fixed choice made before any test case is read (for example the fused score at weight 0 or +∞), never
/// something selected on the test cases. Its <see cref="IEvaluatedSystem.Train"/> does nothing; it shares the trained
/// model, which stays with the system that trained it. The harness disposes each component before the system.
/// </remarks>
public interface IComponentSystems
{
    /// <summary>The components of the trained system (empty when there are none, e.g. before training).</summary>
    IReadOnlyList<IEvaluatedSystem> Components();
}
