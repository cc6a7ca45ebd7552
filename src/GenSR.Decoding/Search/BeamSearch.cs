using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Decoding;

/// <summary>
/// Batched beam search over an <see cref="IStepDecoder"/>, restricted by an <see cref="IDecodingConstraint"/>
/// (<see cref="TrieConstraint"/> for generative retrieval, <see cref="FullVocabularyConstraint"/> for plain search).
/// </summary>
/// <remarks>
/// <para>
/// All <c>batch × beams</c> hypotheses advance together; one step is a few tensor operations on the decoder's device:
/// decoder log-probabilities <c>[H, V]</c> → the constraint's candidates <c>[H, C]</c> (gathered log-probabilities, -inf
/// where not allowed) → plus running scores → top-k over <c>beams × C</c> per query → parent beams and next tokens →
/// <see cref="IConstraintCursor.Advance"/> and <see cref="IStepDecoder.Reorder"/>. There is no loop over hypotheses on
/// the CPU and nothing is copied to the host until the last step is done. Temporaries of each step are freed by a
/// dispose scope, so a search leaves no tensor behind.
/// </para>
/// <para>
/// At the first step only beam 0 of each query is live (score 0, the others -inf), so identical beams never produce
/// duplicates. Hypotheses that finished (an identifier's end, or the end-of-sequence token) stay in the beam with their
/// score and are not extended; a beam without any valid continuation gets score -inf and is never returned. Finished
/// and growing hypotheses compete for the beams under <see cref="BeamSearchOptions.Scoring"/>, so with at least as many
/// beams as items the search is exhaustive and returns the exact top results.
/// </para>
/// </remarks>
public sealed class BeamSearch
{
    /// <summary>Creates a search with <paramref name="options"/> (defaults when <c>null</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options do not fit together (see <see cref="BeamSearchOptions.Validate"/>).</exception>
    public BeamSearch(BeamSearchOptions? options = null)
    {
        Options = (options ?? new BeamSearchOptions()).Validate();
    }

    /// <summary>The search settings.</summary>
    public BeamSearchOptions Options { get; }

    /// <summary>
    /// Decodes every query of <paramref name="decoder"/>'s batch. The decoder is started with
    /// <see cref="BeamSearchOptions.Beams"/> beams; <see cref="IStepDecoder.Step"/> is called once per step (for
    /// <see cref="BeamSearchOptions.MaxLength"/>, else the constraint's <see cref="IDecodingConstraint.MaxLength"/>, steps).
    /// </summary>
    /// <param name="decoder">The model, bound to a batch of queries.</param>
    /// <param name="constraint">Which continuations are allowed.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>Per query, up to <see cref="BeamSearchOptions.ResultsPerQuery"/> results, best first; with a constraint that
    /// <see cref="IDecodingConstraint.YieldsItems"/>, only completed items (each at most once).</returns>
    /// <exception cref="ArgumentException">The constraint does not fit the decoder, or no number of steps is known.</exception>
    /// <exception cref="InvalidOperationException">The decoder returned log-probabilities of the wrong shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public BeamSearchResult Search(IStepDecoder decoder, IDecodingConstraint constraint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(constraint);
        constraint.Validate(decoder);
        var steps = Options.MaxLength ?? constraint.MaxLength
            ?? throw new ArgumentException("The constraint does not bound the length: set BeamSearchOptions.MaxLength.", nameof(constraint));
        var batch = decoder.BatchSize;
        var vocabulary = decoder.VocabularySize;
        if (batch <= 0) throw new ArgumentException($"The decoder's batch is empty (BatchSize {batch}).", nameof(decoder));
        if (vocabulary <= 0) throw new ArgumentException($"The decoder's vocabulary is empty (VocabularySize {vocabulary}).", nameof(decoder));
        cancellationToken.ThrowIfCancellationRequested();

        var beams = Options.Beams;
        var hypotheses = batch * beams;
        var device = decoder.Device;
        var normalize = Options.Scoring == BeamScoring.LengthNormalized;
        decoder.Start(beams);

        using var cursor = constraint.Start(hypotheses, device);
        var state = SearchState.Create(batch, beams, decoder.StartTokenId, device);
        Tensor queryBase; // int64 [B, 1]: flat index of each query's beam 0
        using (NewDisposeScope())
            queryBase = TensorScalarOps.Arange(0, batch, device).MulScalar(beams).unsqueeze(1).DetachFromDisposeScope();
        try
        {
            for (var step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var logProbs = decoder.Step(state.LastTokens);
                if (logProbs.dim() != 2 || logProbs.shape[0] != hypotheses || logProbs.shape[1] != vocabulary)
                    throw new InvalidOperationException(
                        $"{decoder.GetType().Name}.Step returned [{string.Join(", ", logProbs.shape)}], expected [{hypotheses}, {vocabulary}] " +
                        "(batch × beams, vocabulary).");
                if (logProbs.dtype != ScalarType.Float32) logProbs = logProbs.to(ScalarType.Float32);

                var candidates = cursor.NextCandidates(step);
                var candidateLogProbs = candidates.Tokens is { } listed ? logProbs.gather(1, listed) : logProbs; // [H, C]
                if (candidates.Allowed is { } allowed) candidateLogProbs = candidateLogProbs.MaskedFill(allowed.logical_not(), double.NegativeInfinity);
                var columns = candidateLogProbs.shape[1];
                var lengths = state.Lengths.AddScalar(1L); // [H]
                if (candidates.Finished is { } finished)
                {
                    // A finished hypothesis has one candidate, itself: column 0, log-probability 0, no new token.
                    using var stay = TensorScalarOps.Full([columns], float.NegativeInfinity, ScalarType.Float32, device);
                    stay[0].FillInPlace(0);
                    candidateLogProbs = where(finished.unsqueeze(1), stay.unsqueeze(0), candidateLogProbs);
                    lengths = lengths.Minus(finished.to(ScalarType.Int64));
                }

                var totals = state.Scores.unsqueeze(1).Plus(candidateLogProbs);                             // [H, C]
                var keys = normalize ? totals / lengths.unsqueeze(1).to(ScalarType.Float32) : totals;        // [H, C]
                var (_, best) = keys.view(batch, beams * columns).topk(beams, dim: 1);                        // [B, K]
                var parents = best.With(columns, static (t, s) => t.div(s, RoundingMode.floor)).Plus(queryBase).view(hypotheses); // [H]
                var chosenColumns = best.With(columns, static (t, s) => t.remainder(s)).view(hypotheses);     // [H]
                var scores = totals.view(batch, beams * columns).gather(1, best).view(hypotheses);
                var tokens = candidates.Tokens is { } listedTokens
                    ? listedTokens.view(batch, beams * columns).gather(1, best).view(hypotheses)
                    : chosenColumns;
                var sequences = cat(new[] { state.Sequences.index_select(0, parents), tokens.unsqueeze(1) }, 1);

                cursor.Advance(parents, chosenColumns);
                decoder.Reorder(parents);
                state.Replace(scores, lengths.index_select(0, parents), tokens, sequences);
            }

            cancellationToken.ThrowIfCancellationRequested();
            using (NewDisposeScope())
                return Collect(state, cursor.Items(), batch, beams, constraint.YieldsItems, normalize);
        }
        finally
        {
            queryBase.Dispose();
            state.Dispose();
        }
    }

    private BeamSearchResult Collect(SearchState state, Tensor items, int batch, int beams, bool itemsOnly, bool normalize)
    {
        // The only device -> host copies of a search, after its last step.
        float[] scores;
        long[] lengths, itemIds, sequences;
        using (NewDisposeScope())
        {
            scores = state.Scores.cpu().data<float>().ToArray();
            lengths = state.Lengths.cpu().data<long>().ToArray();
            itemIds = items.cpu().data<long>().ToArray();
            sequences = state.Sequences.cpu().data<long>().ToArray();
        }
        var width = (int)state.Sequences.shape[1];
        var perQuery = Options.ResultsPerQuery;
        var queries = new IReadOnlyList<DecodedSequence>[batch];
        for (var q = 0; q < batch; q++)
        {
            // The last top-k left every query's beams sorted by the ranking key, best first.
            var results = new List<DecodedSequence>(perQuery);
            for (var b = 0; b < beams && results.Count < perQuery; b++)
            {
                var h = q * beams + b;
                if (float.IsNegativeInfinity(scores[h]) || float.IsNaN(scores[h])) continue;
                if (itemsOnly && itemIds[h] < 0) continue;
                var length = (int)lengths[h];
                var tokens = new int[length];
                for (var t = 0; t < length; t++) tokens[t] = (int)sequences[h * width + t];
                var score = normalize ? scores[h] / Math.Max(length, 1) : scores[h];
                results.Add(new DecodedSequence((int)itemIds[h], tokens, scores[h], score));
            }
            queries[q] = results;
        }
        return new BeamSearchResult(queries);
    }

    /// <summary>The running tensors of one search, kept outside the per-step dispose scopes.</summary>
    private sealed class SearchState : IDisposable
    {
        private SearchState(Tensor scores, Tensor lengths, Tensor lastTokens, Tensor sequences)
        {
            Scores = scores;
            Lengths = lengths;
            LastTokens = lastTokens;
            Sequences = sequences;
        }

        /// <summary>float32 [H]: sum of log-probabilities.</summary>
        public Tensor Scores { get; private set; }

        /// <summary>int64 [H]: tokens emitted, not counting the steps a hypothesis spent finished.</summary>
        public Tensor Lengths { get; private set; }

        /// <summary>int64 [H]: the token to feed next.</summary>
        public Tensor LastTokens { get; private set; }

        /// <summary>int64 [H, steps so far]: emitted tokens (entries past a hypothesis' length are padding).</summary>
        public Tensor Sequences { get; private set; }

        public static SearchState Create(int batch, int beams, long startToken, Device device)
        {
            using var scope = NewDisposeScope();
            // Only beam 0 of each query is live at first: all beams start from the same prefix.
            var scores = TensorScalarOps.Full([batch, beams], float.NegativeInfinity, ScalarType.Float32, device);
            scores.select(1, 0).FillInPlace(0);
            var state = new SearchState(
                scores.view(batch * beams),
                zeros(batch * beams, dtype: ScalarType.Int64, device: device),
                TensorScalarOps.Full([batch * beams], startToken, ScalarType.Int64, device),
                empty(batch * beams, 0, dtype: ScalarType.Int64, device: device));
            state.DetachAll();
            return state;
        }

        public void Replace(Tensor scores, Tensor lengths, Tensor lastTokens, Tensor sequences)
        {
            Dispose();
            Scores = scores;
            Lengths = lengths;
            LastTokens = lastTokens;
            Sequences = sequences;
            DetachAll();
        }

        public void Dispose()
        {
            Scores.Dispose();
            Lengths.Dispose();
            LastTokens.Dispose();
            Sequences.Dispose();
        }

        private void DetachAll()
        {
            Scores.DetachFromDisposeScope();
            Lengths.DetachFromDisposeScope();
            LastTokens.DetachFromDisposeScope();
            Sequences.DetachFromDisposeScope();
        }
    }
}
