namespace GenSR.Unify;

/// <summary>Progress of <see cref="GenSRPipeline.Prepare"/>: the stage and a one-line detail.</summary>
/// <param name="Stage">"collaborative", "semantic", "identifiers", "vocabulary" or "model".</param>
/// <param name="Detail">What happened, e.g. "epoch 12, validation Recall@20 0.214".</param>
public sealed record GenSRPipelineProgress(string Stage, string Detail);
