namespace GenSR.Representation;

/// <summary>How a sentence vector is read from the last hidden state.</summary>
public enum SentencePooling
{
    /// <summary>Mean of the hidden states of the real tokens (special tokens included, padding excluded): the pooling of
    /// sentence-transformers' MiniLM models.</summary>
    Mean = 0,

    /// <summary>The hidden state of the first token (<c>[CLS]</c>): the pooling of BGE models.</summary>
    Cls = 1,
}
