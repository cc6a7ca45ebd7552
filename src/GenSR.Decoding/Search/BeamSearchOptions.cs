namespace GenSR.Decoding;

/// <summary>Settings of <see cref="BeamSearch"/>. Each property checks its own range when set; <see cref="Validate"/> checks how they fit together.</summary>
public sealed record BeamSearchOptions
{
    /// <summary>Largest beam width accepted.</summary>
    public const int MaxBeams = 4096;

    private readonly int _beams = 20;
    private readonly int? _topK;
    private readonly int? _maxLength;
    private readonly BeamScoring _scoring = BeamScoring.SumLogProb;

    /// <summary>Hypotheses kept per query at every step, in [1, <see cref="MaxBeams"/>]. Default 20 (as in the generative-retrieval setups
    /// the design targets).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [1, <see cref="MaxBeams"/>].</exception>
    public int Beams
    {
        get => _beams;
        init => _beams = value is >= 1 and <= MaxBeams
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Beams), value, $"Beams must be in [1, {MaxBeams}].");
    }

    /// <summary>Results returned per query, in [1, <see cref="Beams"/>]; <c>null</c> (default) returns up to <see cref="Beams"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive (the upper bound is checked by <see cref="Validate"/>).</exception>
    public int? TopK
    {
        get => _topK;
        init => _topK = value is null or >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TopK), value, "TopK must be at least 1 (and at most Beams).");
    }

    /// <summary>Decoding steps; <c>null</c> (default) takes the constraint's length (a trie's depth). Required for unconstrained
    /// search without a length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int? MaxLength
    {
        get => _maxLength;
        init => _maxLength = value is null or >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, "MaxLength must be at least 1.");
    }

    /// <summary>How hypotheses are ranked. Default <see cref="BeamScoring.SumLogProb"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="BeamScoring"/>.</exception>
    public BeamScoring Scoring
    {
        get => _scoring;
        init => _scoring = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Scoring), value, "Scoring must be SumLogProb or LengthNormalized.");
    }

    /// <summary>The number of results per query: <see cref="TopK"/>, or <see cref="Beams"/> when it is not set.</summary>
    public int ResultsPerQuery => TopK ?? Beams;

    /// <summary>Checks the options together.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TopK"/> exceeds <see cref="Beams"/>.</exception>
    public BeamSearchOptions Validate()
    {
        if (TopK > Beams)
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, $"TopK must be at most Beams ({Beams}): beam search keeps only Beams hypotheses.");
        return this;
    }
}
