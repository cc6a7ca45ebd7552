namespace GenSR.Decoding;

/// <summary>One result of beam search for one query.</summary>
/// <param name="Item">The item whose identifier was decoded, or -1 when the search had no item constraint (see
/// <see cref="BeamSearchResult.InvalidIdentifierRate"/>).</param>
/// <param name="Tokens">The emitted token ids, in order (the end-of-sequence token included when one was emitted).</param>
/// <param name="LogProbability">The sum of the decoder's log-probabilities of <paramref name="Tokens"/> (natural log).</param>
/// <param name="Score">The ranking score under <see cref="BeamSearchOptions.Scoring"/> (equal to <paramref name="LogProbability"/> for
/// <see cref="BeamScoring.SumLogProb"/>).</param>
public sealed record DecodedSequence(int Item, IReadOnlyList<int> Tokens, float LogProbability, float Score);
