using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Decoding;

/// <summary>
/// Brute force: the exact log-probability of every given sequence under an <see cref="IStepDecoder"/>, for every query
/// of its batch, by feeding each sequence token by token. Tests compare beam search against it; it is too slow for
/// real catalogues (one decoder step per token of every sequence, for every query).
/// </summary>
internal static class ExhaustiveSequenceScorer
{
    /// <summary>Scores <paramref name="sequences"/> for every query of <paramref name="decoder"/>'s batch.</summary>
    /// <param name="decoder">The model; it is restarted for every chunk of sequences (sequence <c>j</c> of a chunk is beam <c>j</c>).</param>
    /// <param name="sequences">Token sequences (non-empty, ids inside the vocabulary), e.g. identifiers followed by the end-of-sequence token.</param>
    /// <param name="chunkSize">Sequences scored at once (beams per query), at least 1.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns><c>[query, sequence]</c>: the sum of the decoder's log-probabilities of each sequence's tokens, accumulated in
    /// float32 in token order.</returns>
    /// <exception cref="ArgumentException">A sequence is null or empty or has a token outside the vocabulary.</exception>
    public static float[,] Score(IStepDecoder decoder, IReadOnlyList<IReadOnlyList<int>> sequences, int chunkSize = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        for (var j = 0; j < sequences.Count; j++)
        {
            var s = sequences[j] ?? throw new ArgumentException($"Sequence {j} is null.", nameof(sequences));
            if (s.Count == 0) throw new ArgumentException($"Sequence {j} is empty.", nameof(sequences));
            foreach (var token in s)
                if (token < 0 || token >= decoder.VocabularySize)
                    throw new ArgumentException($"Sequence {j} has token {token}, outside the vocabulary [0, {decoder.VocabularySize}).", nameof(sequences));
        }

        var batch = decoder.BatchSize;
        var result = new float[batch, sequences.Count];
        for (var start = 0; start < sequences.Count; start += chunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunkSize, sequences.Count - start);
            var length = 0;
            for (var j = 0; j < count; j++) length = Math.Max(length, sequences[start + j].Count);
            var tokens = new long[count * length];
            var live = new bool[count * length];
            for (var j = 0; j < count; j++)
                for (var t = 0; t < sequences[start + j].Count; t++)
                {
                    tokens[j * length + t] = sequences[start + j][t];
                    live[j * length + t] = true;
                }

            float[] sums;
            using (NewDisposeScope())
            {
                decoder.Start(count);
                // Every query sees the same chunk: hypothesis q * count + j is sequence j.
                var chunkTokens = tensor(tokens, count, length, device: decoder.Device).repeat(batch, 1);   // [B·n, L]
                var chunkLive = tensor(live, count, length, device: decoder.Device).repeat(batch, 1);       // [B·n, L]
                var total = zeros(batch * count, device: decoder.Device);
                var last = TensorScalarOps.Full([batch * count], decoder.StartTokenId, ScalarType.Int64, decoder.Device);
                for (var t = 0; t < length; t++)
                {
                    using var step = NewDisposeScope();
                    var target = chunkTokens.select(1, t);
                    var logProbs = decoder.Step(last);
                    var picked = logProbs.gather(1, target.unsqueeze(1)).squeeze(1).MaskedFill(chunkLive.select(1, t).logical_not(), 0.0);
                    total = total.Plus(picked).MoveToOuterDisposeScope();
                    last = target.MoveToOuterDisposeScope();
                }
                sums = total.cpu().data<float>().ToArray();
            }
            for (var q = 0; q < batch; q++)
                for (var j = 0; j < count; j++)
                    result[q, start + j] = sums[q * count + j];
        }
        return result;
    }
}
