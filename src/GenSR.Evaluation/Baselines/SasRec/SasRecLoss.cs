namespace GenSR.Evaluation;

/// <summary>The training objective of <see cref="SasRecModel"/>.</summary>
public enum SasRecLoss
{
    /// <summary>
    /// Softmax cross-entropy over the whole catalogue at every position. Not the original paper's loss, but shown to train
    /// SASRec markedly better (Klenitskiy &amp; Vasilev, "Turning Dross Into Gold Loss: is BERT4Rec really better than
    /// SASRec?", RecSys 2023); affordable for catalogues of tens of thousands of items.
    /// </summary>
    SoftmaxCrossEntropy = 0,

    /// <summary>
    /// The paper's objective (Kang &amp; McAuley, ICDM 2018): binary cross-entropy of the next item against one
    /// uniformly sampled negative per position.
    /// </summary>
    BinaryCrossEntropy = 1,
}
