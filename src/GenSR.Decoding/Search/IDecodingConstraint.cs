using static TorchSharp.torch;

namespace GenSR.Decoding;

/// <summary>
/// A rule that restricts which tokens each hypothesis may emit next, plugged into <see cref="BeamSearch"/> the way a
/// logits processor is plugged into a generation loop. The constraint itself is reusable; the per-search state lives in
/// the <see cref="IConstraintCursor"/> returned by <see cref="Start"/>.
/// </summary>
public interface IDecodingConstraint
{
    /// <summary>The number of steps after which every hypothesis is finished (e.g. a trie's depth), or <c>null</c> when the
    /// constraint does not bound it.</summary>
    int? MaxLength { get; }

    /// <summary>Whether finished hypotheses are items (see <see cref="IConstraintCursor.Items"/>); when <c>true</c>, the search returns only hypotheses
    /// that completed an item.</summary>
    bool YieldsItems { get; }

    /// <summary>Checks that the constraint can drive <paramref name="decoder"/> (vocabulary size, device).</summary>
    /// <exception cref="ArgumentException">They do not fit; the message says why.</exception>
    void Validate(IStepDecoder decoder);

    /// <summary>Starts one search: every one of <paramref name="hypotheses"/> hypotheses is at the beginning of a sequence.</summary>
    /// <param name="hypotheses">Number of hypotheses (batch × beams), laid out query-major.</param>
    /// <param name="device">The device of the decoder; every tensor of the cursor lives there.</param>
    IConstraintCursor Start(int hypotheses, Device device);
}
