namespace GenSR.Unify;

/// <summary>How a <see cref="T5ForConditionalGeneration"/> stores its weights and runs its arithmetic.</summary>
public enum T5Precision
{
    /// <summary>Float32 weights and float32 arithmetic (the default; what the parity tests check).</summary>
    Float32 = 0,

    /// <summary>
    /// bf16 autocast-equivalent, for training: weights stay float32 (the master copy the optimizer updates);
    /// every matrix product (projections, attention scores and attention-weighted values, the output projection)
    /// casts its inputs and weights to bfloat16 on the fly; RMS layer norm, softmax, the residual stream and the
    /// loss stay float32. This is what <c>torch.autocast(dtype=torch.bfloat16)</c> does for a T5 model, spelled out
    /// because TorchSharp has no autocast.
    /// </summary>
    BFloat16Autocast = 1,

    /// <summary>
    /// Whole-model bfloat16, for inference: the weights themselves are converted to bfloat16 (half the memory);
    /// layer norm statistics, softmax and the returned logits are still computed in float32.
    /// </summary>
    BFloat16 = 2,
}
