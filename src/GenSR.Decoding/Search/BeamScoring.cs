namespace GenSR.Decoding;

/// <summary>How beam search ranks hypotheses of possibly different lengths.</summary>
public enum BeamScoring
{
    /// <summary>The sum of the token log-probabilities (the sequence log-probability).</summary>
    SumLogProb = 0,

    /// <summary>The sum of the token log-probabilities divided by the number of tokens (the end-of-sequence token included).</summary>
    LengthNormalized = 1,
}
