namespace GenSR.Unify;

/// <summary>An InfoNCE lower bound on the mutual information between input representations and task outputs, in nats.</summary>
/// <param name="Nats">The held-out estimate log(B) − L_InfoNCE. Not clamped: a value at or below 0 means the critic
/// found no dependence it could generalise (too few pairs, or a critic too large for them), not a negative information.</param>
/// <param name="UpperLimit">log(B): the most an InfoNCE estimate with batches of B pairs can show.</param>
/// <param name="TrainingPairs">Pairs the critic was trained on.</param>
/// <param name="HeldOutPairs">Pairs the estimate was computed on.</param>
public sealed record MutualInformationEstimate(double Nats, double UpperLimit, int TrainingPairs, int HeldOutPairs);
