namespace GenSR.Core;

/// <summary>Options of <see cref="CategoryQuerySynthesizer"/>.</summary>
public sealed record QuerySynthesisOptions
{
    private readonly double _searchFraction = 0.5;
    private readonly IReadOnlySet<string> _stopWords = QueryStopWords.English;
    private readonly int _maxFallbackWords = 8;

    /// <summary>
    /// The fraction of each user's events that are search events after synthesis, in [0, 1]; default 0.5.
    /// Existing search events count towards it and are never changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1] or not a number.</exception>
    public double SearchFraction
    {
        get => _searchFraction;
        init => _searchFraction = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SearchFraction), value, $"{nameof(SearchFraction)} must be in [0, 1].");
    }

    /// <summary>Seed of the choice of which events become search events; default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Lower-case words left out of queries; default <see cref="QueryStopWords.English"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public IReadOnlySet<string> StopWords
    {
        get => _stopWords;
        init => _stopWords = value ?? throw new ArgumentNullException(nameof(StopWords), $"{nameof(StopWords)} must not be null; use an empty set for none.");
    }

    /// <summary>
    /// A root category to drop when it is the first segment of an item's path (compared ignoring case);
    /// <c>null</c> (default) drops nothing here. The loaders already drop a root that every item shares.
    /// </summary>
    public string? RootCategory { get; init; }

    /// <summary>
    /// The most title (or description) words a query takes when the item has no category words, in
    /// [1, 64]; default 8, the length of a long real query.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, 64].</exception>
    public int MaxFallbackWords
    {
        get => _maxFallbackWords;
        init => _maxFallbackWords = value is >= 1 and <= 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFallbackWords), value, $"{nameof(MaxFallbackWords)} must be in [1, 64].");
    }
}
