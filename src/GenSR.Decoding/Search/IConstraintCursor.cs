using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// Where every hypothesis of one search stands in an <see cref="IDecodingConstraint"/>, kept as tensors on the decoder's
/// device. The search calls <see cref="NextCandidates"/> then <see cref="Advance"/> once per step, and <see cref="Items"/>
/// once at the end, always inside a dispose scope that frees the returned tensors and temporaries; state the cursor keeps
/// must be detached from that scope.
/// </summary>
public interface IConstraintCursor : IDisposable
{
    /// <summary>The tokens every hypothesis may emit at step <paramref name="step"/> (0 for the first token).</summary>
    CandidateSet NextCandidates(int step);

    /// <summary>
    /// Moves to the hypotheses chosen by the search: new hypothesis <c>h</c> extends old hypothesis
    /// <paramref name="parentHypotheses"/>[h] with the candidate in column <paramref name="columns"/>[h] of the last
    /// <see cref="CandidateSet"/>. A finished parent always comes with column 0 and stays finished; a column that was not
    /// allowed marks a dead hypothesis (its score is -inf), which must never be allowed anything again.
    /// </summary>
    /// <param name="parentHypotheses">int64 <c>[hypotheses]</c>, flat indices of the parents.</param>
    /// <param name="columns">int64 <c>[hypotheses]</c>, candidate columns.</param>
    void Advance(Tensor parentHypotheses, Tensor columns);

    /// <summary>int64 <c>[hypotheses]</c>: the item each hypothesis has completed, or -1.</summary>
    Tensor Items();
}
