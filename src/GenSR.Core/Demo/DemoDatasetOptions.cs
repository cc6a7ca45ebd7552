namespace GenSR.Core;

/// <summary>Options of <see cref="DemoDataset.Generate"/>; the defaults give a dataset a small model trains on in about a minute on 2 cores.</summary>
public sealed record DemoDatasetOptions
{
    private readonly int _users = 1000;
    private readonly int _items = 500;
    private readonly int _minEventsPerUser = 15;
    private readonly int _maxEventsPerUser = 20;
    private readonly double _searchFraction = 0.5;

    /// <summary>Number of users, in [1, 1,000,000]; default 1,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Users
    {
        get => _users;
        init => _users = OptionGuard.InRange(value, 1, 1_000_000, nameof(Users), nameof(DemoDatasetOptions));
    }

    /// <summary>Number of items in the catalogue, in [100, 100,000]; default 500.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int Items
    {
        get => _items;
        init => _items = OptionGuard.InRange(value, 100, 100_000, nameof(Items), nameof(DemoDatasetOptions));
    }

    /// <summary>The fewest events of a user, in [3, 1,000]; default 15. Must not exceed <see cref="MaxEventsPerUser"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MinEventsPerUser
    {
        get => _minEventsPerUser;
        init => _minEventsPerUser = OptionGuard.InRange(value, 3, 1000, nameof(MinEventsPerUser), nameof(DemoDatasetOptions));
    }

    /// <summary>The most events of a user, in [3, 1,000]; default 20. Must be at least <see cref="MinEventsPerUser"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public int MaxEventsPerUser
    {
        get => _maxEventsPerUser;
        init => _maxEventsPerUser = OptionGuard.InRange(value, 3, 1000, nameof(MaxEventsPerUser), nameof(DemoDatasetOptions));
    }

    /// <summary>Probability that an event is a search event (with a query), in [0, 1]; default 0.5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1] or not a number.</exception>
    public double SearchFraction
    {
        get => _searchFraction;
        init => _searchFraction = OptionGuard.InRange(value, 0, 1, nameof(SearchFraction), nameof(DemoDatasetOptions));
    }

    /// <summary>Seed of the generator; the same options always give the same dataset. Default 2025.</summary>
    public int Seed { get; init; } = 2025;

    /// <summary>Checks the options that depend on each other.</summary>
    /// <exception cref="ArgumentException"><see cref="MinEventsPerUser"/> exceeds <see cref="MaxEventsPerUser"/>, or users would run out of items.</exception>
    internal void Validate()
    {
        if (MinEventsPerUser > MaxEventsPerUser)
            throw new ArgumentException($"{nameof(MinEventsPerUser)} ({MinEventsPerUser}) must not exceed {nameof(MaxEventsPerUser)} ({MaxEventsPerUser}).");
        if (MaxEventsPerUser > Items / 4)
            throw new ArgumentException($"{nameof(MaxEventsPerUser)} ({MaxEventsPerUser}) must be at most {nameof(Items)} / 4 ({Items / 4}): a user never " +
                "interacts with an item twice.");
    }
}
