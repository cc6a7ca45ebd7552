
namespace GenSR.Core;

/// <summary>Options of <see cref="LeaveOneOutSplit"/>.</summary>
public sealed record SplitOptions
{
    private readonly int _maxHistory = 20;
    private readonly QuerySynthesisOptions _querySynthesis = new();

    /// <summary>
    /// The most recent events kept as the history of a training example or evaluation case, in [1, 10,000];
    /// default 20 (the GenSR paper's history length).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 10000].</exception>
    public int MaxHistory
    {
        get => _maxHistory;
        init => _maxHistory = value is >= 1 and <= 10_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxHistory), value, $"{nameof(MaxHistory)} must be in [1, 10000].");
    }

    /// <summary>
    /// How the query of an evaluation target that is not a search event is built (its item's category words,
    /// see <see cref="CategoryQuerySynthesizer.BuildQuery"/>); only the word options matter here.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public QuerySynthesisOptions QuerySynthesis
    {
        get => _querySynthesis;
        init => _querySynthesis = value ?? throw new ArgumentNullException(nameof(QuerySynthesis), $"{nameof(QuerySynthesis)} must not be null.");
    }
}
