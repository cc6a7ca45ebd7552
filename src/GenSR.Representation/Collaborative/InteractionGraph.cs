namespace GenSR.Representation;

/// <summary>
/// The bipartite user–item training graph of collaborative filtering: user and item counts and the set of
/// distinct training (user, item) pairs, stored sorted by user and then item (a CSR layout: the items of
/// user <c>u</c> are <see cref="Items"/>[<see cref="UserOffsets"/>[u] … <see cref="UserOffsets"/>[u + 1])).
/// </summary>
public sealed class InteractionGraph
{
    private readonly int[] _userOffsets;
    private readonly int[] _items;
    private readonly int[] _itemDegrees;

    /// <summary>Builds the graph; repeated pairs are kept once (counted in <see cref="DuplicatePairCount"/>).</summary>
    /// <param name="userCount">Number of users (at least 1).</param>
    /// <param name="itemCount">Number of items (at least 1).</param>
    /// <param name="pairs">Training interactions; every id must lie in range.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    /// <exception cref="ArgumentException">A pair names a user or item outside the graph (the message gives the pair's position).</exception>
    public InteractionGraph(int userCount, int itemCount, IEnumerable<UserItemPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (userCount < 1) throw new ArgumentOutOfRangeException(nameof(userCount), userCount, "The graph needs at least one user.");
        if (itemCount < 1) throw new ArgumentOutOfRangeException(nameof(itemCount), itemCount, "The graph needs at least one item.");
        UserCount = userCount;
        ItemCount = itemCount;

        var keys = new List<long>();
        var position = 0;
        foreach (var (user, item) in pairs)
        {
            if ((uint)user >= (uint)userCount)
                throw new ArgumentException($"Pair {position} names user {user}, outside [0, {userCount}).", nameof(pairs));
            if ((uint)item >= (uint)itemCount)
                throw new ArgumentException($"Pair {position} (user {user}) names item {item}, outside [0, {itemCount}).", nameof(pairs));
            keys.Add((long)user * itemCount + item);
            position++;
        }
        keys.Sort();

        _userOffsets = new int[userCount + 1];
        _itemDegrees = new int[itemCount];
        var items = new List<int>(keys.Count);
        var previous = -1L;
        foreach (var key in keys)
        {
            if (key == previous)
            {
                DuplicatePairCount++;
                continue;
            }
            previous = key;
            var user = (int)(key / itemCount);
            var item = (int)(key % itemCount);
            items.Add(item);
            _userOffsets[user + 1]++;
            _itemDegrees[item]++;
        }
        for (var u = 0; u < userCount; u++) _userOffsets[u + 1] += _userOffsets[u];
        _items = items.ToArray();
    }

    /// <summary>Number of users (graph nodes <c>0 … UserCount − 1</c>).</summary>
    public int UserCount { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Number of distinct training pairs (edges).</summary>
    public int PairCount => _items.Length;

    /// <summary>How many input pairs repeated an earlier pair and were kept once.</summary>
    public int DuplicatePairCount { get; }

    /// <summary>CSR offsets, length <see cref="UserCount"/> + 1: user <c>u</c>'s items are <see cref="Items"/>[offsets[u] … offsets[u + 1]).</summary>
    public ReadOnlySpan<int> UserOffsets => _userOffsets;

    /// <summary>Item ids of all pairs, grouped by user (ascending) and sorted within each user; length <see cref="PairCount"/>.</summary>
    public ReadOnlySpan<int> Items => _items;

    /// <summary>Training items of user <paramref name="user"/>, ascending.</summary>
    public ReadOnlySpan<int> ItemsOf(int user)
    {
        if ((uint)user >= (uint)UserCount) throw new ArgumentOutOfRangeException(nameof(user), user, $"User id must be in [0, {UserCount}).");
        return _items.AsSpan(_userOffsets[user], _userOffsets[user + 1] - _userOffsets[user]);
    }

    /// <summary>Number of training items of user <paramref name="user"/>.</summary>
    public int UserDegree(int user) => ItemsOf(user).Length;

    /// <summary>Number of training users of item <paramref name="item"/> (its popularity).</summary>
    public int ItemDegree(int item) =>
        (uint)item < (uint)ItemCount ? _itemDegrees[item] : throw new ArgumentOutOfRangeException(nameof(item), item, $"Item id must be in [0, {ItemCount}).");

    /// <summary>Per item, its number of training users; length <see cref="ItemCount"/>.</summary>
    public ReadOnlySpan<int> ItemDegrees => _itemDegrees;

    /// <summary>Whether (<paramref name="user"/>, <paramref name="item"/>) is a training pair.</summary>
    public bool Contains(int user, int item) => ItemsOf(user).BinarySearch(item) >= 0;

    /// <summary>The user of each pair, in the order of <see cref="Items"/>.</summary>
    public int[] PairUsers()
    {
        var users = new int[_items.Length];
        for (var u = 0; u < UserCount; u++) users.AsSpan(_userOffsets[u], _userOffsets[u + 1] - _userOffsets[u]).Fill(u);
        return users;
    }
}
