namespace GenSR.Core;

/// <summary>
/// Collects users (dense ids in order of registration), their events and the loader's warnings, then
/// builds the <see cref="SrDataset"/>.
/// </summary>
internal sealed class DatasetAssembler
{
    private readonly Dictionary<string, int> _userIds = new(StringComparer.Ordinal);
    private readonly List<User> _users = [];
    private readonly List<List<SrEvent>> _histories = [];

    // Histories given whole (SetHistory): kept as they are, so that Build makes no second copy of them.
    private readonly List<SrEvent[]?> _complete = [];

    /// <summary>Things the loader tolerated.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The number of registered users.</summary>
    public int UserCount => _users.Count;

    /// <summary>Registers a user (or finds the registered one) and returns its dense id.</summary>
    public int GetOrAddUser(string key)
    {
        if (_userIds.TryGetValue(key, out var id))
            return id;
        id = _users.Count;
        _userIds.Add(key, id);
        _users.Add(new User(id, key));
        _histories.Add([]);
        _complete.Add(null);
        return id;
    }

    /// <summary>Gives a user's whole history at once, in order; it replaces anything added before.</summary>
    public void SetHistory(int userId, SrEvent[] history)
    {
        _histories[userId].Clear();
        _complete[userId] = history;
    }

    /// <summary>Whether a user with this key is registered.</summary>
    public bool ContainsUser(string key) => _userIds.ContainsKey(key);

    /// <summary>The history being built for a user, event by event.</summary>
    /// <exception cref="InvalidOperationException">The user's history was given whole with <see cref="SetHistory"/>.</exception>
    public List<SrEvent> HistoryOf(int userId) =>
        _complete[userId] is null ? _histories[userId] : throw new InvalidOperationException("This user's history was given whole.");

    private int CountOf(int userId) => _complete[userId]?.Length ?? _histories[userId].Count;

    /// <summary>Adds a warning naming up to <paramref name="examples"/> keys of the affected records.</summary>
    public void Warn(int count, string what, IEnumerable<string> keys, int examples = 5)
    {
        if (count == 0)
            return;
        var shown = keys.Take(examples).Select(k => $"\"{k}\"");
        var more = count > examples ? ", ..." : string.Empty;
        Warnings.Add($"{count} {what} (e.g. {string.Join(", ", shown)}{more}).");
    }

    /// <summary>Warns about items whose title is empty; they stay in the catalogue.</summary>
    public void WarnEmptyTitles(IReadOnlyList<Item> items)
    {
        var empty = items.Where(i => string.IsNullOrWhiteSpace(i.Title)).Select(i => i.Key).ToList();
        Warn(empty.Count, empty.Count == 1 ? "item has an empty title" : "items have an empty title", empty);
    }

    /// <summary>Warns about users without any event; they stay in the dataset.</summary>
    public void WarnEmptyHistories()
    {
        var empty = _users.Where(u => CountOf(u.Id) == 0).Select(u => u.Key).ToList();
        Warn(empty.Count, empty.Count == 1 ? "user has no events" : "users have no events", empty);
    }

    /// <summary>Builds the dataset.</summary>
    /// <remarks>Each history list is let go as soon as its array is made, so the peak holds one copy of the events, not
    /// two. The assembler is empty afterwards.</remarks>
    public SrDataset Build(string name, IReadOnlyList<Item> items)
    {
        var histories = new IReadOnlyList<SrEvent>[_histories.Count];
        for (var u = 0; u < histories.Length; u++)
        {
            histories[u] = _complete[u] ?? _histories[u].ToArray();
            _histories[u] = [];
            _complete[u] = null;
        }
        return new(name, new ItemCatalog(items), _users.ToArray(), histories, Warnings.ToArray());
    }
}
