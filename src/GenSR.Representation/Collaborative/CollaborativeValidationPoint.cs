namespace GenSR.Representation;

/// <summary>One validation evaluation during training.</summary>
/// <param name="Epoch">The epoch after which it was measured (1-based).</param>
/// <param name="Recall">Full-ranking validation Recall@K, in [0, 1].</param>
public readonly record struct CollaborativeValidationPoint(int Epoch, double Recall);
