namespace GenSR.Evaluation;

/// <summary>What the harness asks an <see cref="ITopKGenerator"/> for.</summary>
/// <param name="ListLength">Items wanted per case (the largest metric cutoff, e.g. 20).</param>
/// <param name="ExcludedItems">
/// Per case, items the ranking ignores (the items the user interacted with before the target) so that a generator can
/// generate past them, e.g. by decoding <c>ListLength + excluded count</c> beams; <c>null</c> when nothing is excluded.
/// The harness removes them from the returned lists in any case (the target itself is never removed).
/// </param>
public sealed record GenerationRequest(int ListLength, IReadOnlyList<IReadOnlySet<int>>? ExcludedItems);
