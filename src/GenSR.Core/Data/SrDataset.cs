namespace GenSR.Core;

/// <summary>
/// A search-and-recommendation dataset: the catalogue, the users and, per user, one chronological
/// unified history of search and recommendation events.
/// </summary>
public sealed class SrDataset
{
    private readonly IReadOnlyList<SrEvent>[] _histories;

    /// <summary>Creates a dataset.</summary>
    /// <param name="name">A name for reports (e.g. <c>Scientific</c>, <c>ml-100k</c>, <c>demo</c>).</param>
    /// <param name="catalog">The items.</param>
    /// <param name="users">The users; user <c>i</c> has id <c>i</c>.</param>
    /// <param name="histories">Per user (indexed by user id), the events in chronological order.</param>
    /// <param name="warnings">Things the loader tolerated and reports (e.g. items with empty titles).</param>
    /// <exception cref="ArgumentException">The users are not dense, the counts differ, or an event names an unknown user or item.</exception>
    public SrDataset(string name, ItemCatalog catalog, IReadOnlyList<User> users, IReadOnlyList<IReadOnlyList<SrEvent>> histories,
        IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        if (users.Count != histories.Count)
            throw new ArgumentException($"There are {users.Count} users but {histories.Count} histories.", nameof(histories));
        _histories = new IReadOnlyList<SrEvent>[users.Count];
        for (var u = 0; u < users.Count; u++)
        {
            if (users[u].Id != u)
                throw new ArgumentException(
                    $"User ids must be dense and ordered: position {u} holds id {users[u].Id} (key \"{users[u].Key}\").", nameof(users));
            var history = histories[u] ?? throw new ArgumentException($"History of user {u} is null.", nameof(histories));
            for (var i = 0; i < history.Count; i++)
            {
                var e = history[i];
                if (e.UserId != u)
                    throw new ArgumentException($"Event {i} of user {u} (\"{users[u].Key}\") names user {e.UserId}.", nameof(histories));
                if (!catalog.Contains(e.ItemId))
                    throw new ArgumentException($"Event {i} of user {u} (\"{users[u].Key}\") names item {e.ItemId}, outside the catalogue of {catalog.Count} " +
                        "items.", nameof(histories));
                if (e.Task == TaskKind.Search && string.IsNullOrWhiteSpace(e.Query))
                    throw new ArgumentException($"Event {i} of user {u} (\"{users[u].Key}\") is a search event without a query.", nameof(histories));
            }
            _histories[u] = history;
        }
        Name = name;
        Catalog = catalog;
        Users = users;
        Warnings = warnings ?? Array.Empty<string>();
    }

    /// <summary>The dataset's name, used in every report.</summary>
    public string Name { get; }

    /// <summary>The items.</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>The users; user <c>i</c> has id <c>i</c>.</summary>
    public IReadOnlyList<User> Users { get; }

    /// <summary>Per user id, the unified history in chronological order.</summary>
    public IReadOnlyList<IReadOnlyList<SrEvent>> Histories => _histories;

    /// <summary>Things the loader tolerated and reports (never silently dropped data).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Total number of events.</summary>
    public int EventCount => _histories.Sum(h => h.Count);

    /// <summary>Computes users, items, events, search events and the average history length.</summary>
    public DatasetStatistics ComputeStatistics()
    {
        var events = 0;
        var search = 0;
        foreach (var h in _histories)
        {
            events += h.Count;
            foreach (var e in h)
                if (e.Task == TaskKind.Search) search++;
        }
        var emptyTitles = Catalog.Count(i => string.IsNullOrWhiteSpace(i.Title));
        return new DatasetStatistics(Users.Count, Catalog.Count, events, search,
            Users.Count == 0 ? 0 : (double)events / Users.Count, emptyTitles);
    }

    /// <summary>A copy with other histories (same catalogue and users), e.g. after search events were synthesised.</summary>
    public SrDataset WithHistories(IReadOnlyList<IReadOnlyList<SrEvent>> histories, string? name = null) =>
        new(name ?? Name, Catalog, Users, histories, Warnings);
}
