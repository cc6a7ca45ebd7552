using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// The continuations an <see cref="IConstraintCursor"/> allows at one step, for every hypothesis. Either the whole
/// vocabulary (column = token id), or a short list per hypothesis: <see cref="Tokens"/> <c>[hypotheses, columns]</c> with
/// an <see cref="Allowed"/> mask (the sparse form of an allowed-token mask over the vocabulary: the search gathers the
/// log-probabilities of the listed tokens and sets the rest to -inf, which is what masking the full row would do, but
/// its top-k then runs over beams × columns instead of beams × vocabulary).
/// </summary>
/// <remarks>
/// <see cref="Finished"/> hypotheses have completed their sequence: the search gives each of them one candidate,
/// column 0, with log-probability 0 and no new token, so they keep their place in the beam while others grow.
/// </remarks>
public sealed class CandidateSet
{
    private CandidateSet(Tensor? tokens, Tensor? allowed, Tensor? finished)
    {
        Tokens = tokens;
        Allowed = allowed;
        Finished = finished;
    }

    /// <summary>int64 <c>[hypotheses, columns]</c> candidate token ids, or <c>null</c> for the whole vocabulary.</summary>
    public Tensor? Tokens { get; }

    /// <summary>bool <c>[hypotheses, columns]</c>: which listed candidates are allowed (<c>null</c>: all of them).</summary>
    public Tensor? Allowed { get; }

    /// <summary>bool <c>[hypotheses]</c>: hypotheses that have finished (<c>null</c>: none).</summary>
    public Tensor? Finished { get; }

    /// <summary>Every token of the vocabulary is allowed for every unfinished hypothesis.</summary>
    /// <param name="finished">bool <c>[hypotheses]</c> finished hypotheses, or <c>null</c> for none.</param>
    public static CandidateSet WholeVocabulary(Tensor? finished = null) => new(null, null, CheckFinished(finished));

    /// <summary>Each hypothesis may emit the allowed ones among its listed tokens.</summary>
    /// <param name="tokens">int64 <c>[hypotheses, columns]</c> token ids (any valid id where not allowed).</param>
    /// <param name="allowed">bool <c>[hypotheses, columns]</c>.</param>
    /// <param name="finished">bool <c>[hypotheses]</c> finished hypotheses (whose row must allow nothing), or <c>null</c> for none.</param>
    /// <exception cref="ArgumentException">Shapes or dtypes do not match.</exception>
    public static CandidateSet Listed(Tensor tokens, Tensor allowed, Tensor? finished = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(allowed);
        if (tokens.dim() != 2 || tokens.dtype != ScalarType.Int64)
            throw new ArgumentException(
                $"Candidate tokens must be int64 [hypotheses, columns], got {tokens.dtype} [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (allowed.dtype != ScalarType.Bool || !allowed.shape.SequenceEqual(tokens.shape))
            throw new ArgumentException($"The allowed mask must be bool [{string.Join(", ", tokens.shape)}], got {allowed.dtype} " +
                $"[{string.Join(", ", allowed.shape)}].", nameof(allowed));
        if (tokens.shape[1] == 0) throw new ArgumentException("Candidate lists need at least one column.", nameof(tokens));
        finished = CheckFinished(finished);
        if (finished is not null && finished.shape[0] != tokens.shape[0])
            throw new ArgumentException($"The finished mask has {finished.shape[0]} rows, the candidates {tokens.shape[0]}.", nameof(finished));
        return new CandidateSet(tokens, allowed, finished);
    }

    private static Tensor? CheckFinished(Tensor? finished)
    {
        if (finished is not null && (finished.dim() != 1 || finished.dtype != ScalarType.Bool))
            throw new ArgumentException(
                $"The finished mask must be bool [hypotheses], got {finished.dtype} [{string.Join(", ", finished.shape)}].", nameof(finished));
        return finished;
    }
}
