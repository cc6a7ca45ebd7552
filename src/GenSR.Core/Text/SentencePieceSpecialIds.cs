namespace GenSR.Core;

/// <summary>The special-piece ids a SentencePiece model declares; -1 means the model has no such piece.</summary>
/// <param name="Unknown">The unknown piece.</param>
/// <param name="BeginningOfSentence">The beginning-of-sentence piece (T5 models have none).</param>
/// <param name="EndOfSentence">The end-of-sentence piece.</param>
/// <param name="Padding">The padding piece.</param>
public sealed record SentencePieceSpecialIds(int Unknown, int BeginningOfSentence, int EndOfSentence, int Padding);
