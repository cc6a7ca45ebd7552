using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// No constraint: every hypothesis may emit any token of the decoder's vocabulary. With it, <see cref="BeamSearch"/> is
/// plain (unconstrained) beam search through the same loop as trie-constrained search, for a fixed number of steps
/// (<see cref="BeamSearchOptions.MaxLength"/>, or <see cref="MaxLength"/> when given here). When an end-of-sequence token
/// is given, a hypothesis that emits it is finished.
/// </summary>
public sealed class FullVocabularyConstraint : IDecodingConstraint
{
    /// <summary>Creates the constraint.</summary>
    /// <param name="maxLength">Steps to decode (e.g. a trie's depth, for a comparison at equal length), or <c>null</c> to take
    /// <see cref="BeamSearchOptions.MaxLength"/>.</param>
    /// <param name="endOfSequenceTokenId">Token that finishes a hypothesis, or <c>null</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is not positive, or the token id is negative.</exception>
    public FullVocabularyConstraint(int? maxLength = null, int? endOfSequenceTokenId = null)
    {
        if (maxLength is <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "The number of steps must be positive.");
        if (endOfSequenceTokenId is < 0) throw new ArgumentOutOfRangeException(nameof(endOfSequenceTokenId), endOfSequenceTokenId,
            "Token ids are non-negative.");
        MaxLength = maxLength;
        EndOfSequenceTokenId = endOfSequenceTokenId;
    }

    /// <inheritdoc />
    public int? MaxLength { get; }

    /// <summary>The token that finishes a hypothesis, or <c>null</c>.</summary>
    public int? EndOfSequenceTokenId { get; }

    /// <inheritdoc />
    public bool YieldsItems => false;

    /// <inheritdoc />
    public void Validate(IStepDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (EndOfSequenceTokenId >= decoder.VocabularySize)
            throw new ArgumentException(
                $"End-of-sequence token {EndOfSequenceTokenId} is outside the decoder's vocabulary of {decoder.VocabularySize} tokens.", nameof(decoder));
    }

    /// <inheritdoc />
    public IConstraintCursor Start(int hypotheses, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hypotheses);
        ArgumentNullException.ThrowIfNull(device);
        return new Cursor(hypotheses, device, EndOfSequenceTokenId);
    }

    private sealed class Cursor : IConstraintCursor
    {
        private readonly int? _endOfSequence;
        private readonly int _hypotheses;
        private readonly Device _device;
        private Tensor? _finished; // bool [hypotheses]; only tracked with an end-of-sequence token

        public Cursor(int hypotheses, Device device, int? endOfSequence)
        {
            _hypotheses = hypotheses;
            _device = device;
            _endOfSequence = endOfSequence;
            if (endOfSequence is not null)
                _finished = zeros(hypotheses, dtype: ScalarType.Bool, device: device).DetachFromDisposeScope();
        }

        public CandidateSet NextCandidates(int step) => CandidateSet.WholeVocabulary(_finished?.alias());

        public void Advance(Tensor parentHypotheses, Tensor columns)
        {
            if (_finished is null || _endOfSequence is not { } eos) return;
            Tensor next;
            using (NewDisposeScope())
                next = _finished.index_select(0, parentHypotheses).logical_or(columns.EqScalar(eos)).DetachFromDisposeScope();
            _finished.Dispose();
            _finished = next;
        }

        public Tensor Items() => TensorScalarOps.Full([_hypotheses], -1L, ScalarType.Int64, _device);

        public void Dispose() => _finished?.Dispose();
    }
}
