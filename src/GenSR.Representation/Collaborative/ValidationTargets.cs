namespace GenSR.Representation;

/// <summary>
/// Per user, the held-out validation item used for early stopping (leave-one-out: usually the
/// second-to-last interaction), or <c>-1</c> when the user has none and is not evaluated.
/// </summary>
public sealed class ValidationTargets
{
    private readonly int[] _targets;

    /// <summary>Creates the targets.</summary>
    /// <param name="targets">Indexed by user id: the held-out item, or <c>-1</c>.</param>
    /// <param name="itemCount">Number of items; every target must be below it.</param>
    /// <exception cref="ArgumentException">A target is below −1 or not a valid item id (the message names the user).</exception>
    public ValidationTargets(IReadOnlyList<int> targets, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (itemCount < 1) throw new ArgumentOutOfRangeException(nameof(itemCount), itemCount, "There must be at least one item.");
        _targets = targets.ToArray();
        for (var u = 0; u < _targets.Length; u++)
            if (_targets[u] < -1 || _targets[u] >= itemCount)
                throw new ArgumentException(
                    $"Validation target of user {u} is {_targets[u]}; expected an item id in [0, {itemCount}) or -1 for none.", nameof(targets));
        ItemCount = itemCount;
        EvaluableUserCount = _targets.Count(t => t >= 0);
    }

    /// <summary>Number of users (the length of the target list).</summary>
    public int UserCount => _targets.Length;

    /// <summary>Number of items the targets refer to.</summary>
    public int ItemCount { get; }

    /// <summary>Number of users that have a target.</summary>
    public int EvaluableUserCount { get; }

    /// <summary>The held-out item of user <paramref name="user"/>, or <c>-1</c>.</summary>
    public int this[int user] => _targets[user];
}
