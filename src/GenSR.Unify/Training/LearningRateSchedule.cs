namespace GenSR.Unify;

/// <summary>The learning rate after the linear warm-up of <see cref="GenSRTrainingOptions.WarmupSteps"/>.</summary>
public enum LearningRateSchedule
{
    /// <summary>
    /// <c>lr · √(warmup / step)</c> once the step passes the warm-up (the schedule of T5, Raffel et al. 2020, and TIGER,
    /// Rajput et al. 2023); with no warm-up, <c>lr · √(100 / step)</c> after step 100. Independent of the epoch cap.
    /// </summary>
    InverseSquareRoot,

    /// <summary>The peak rate until training ends.</summary>
    Constant,

    /// <summary>Linear decay to 0 at the last step of <see cref="GenSRTrainingOptions.Epochs"/> epochs (the paper's setting; it depends on the cap).</summary>
    Linear,
}
