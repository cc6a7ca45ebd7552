namespace GenSR.Core;

/// <summary>
/// A fixed-capacity open-addressing set of non-negative ints over caller-provided memory (e.g. stack memory),
/// so drawing candidates for one case allocates nothing.
/// </summary>
internal ref struct IntOpenHashSet
{
    private const int Empty = -1;
    private readonly Span<int> _slots;
    private readonly int _mask;

    /// <summary>Wraps <paramref name="slots"/>, whose length must be a power of two larger than the number of values added.</summary>
    public IntOpenHashSet(Span<int> slots)
    {
        _slots = slots;
        _mask = slots.Length - 1;
        _slots.Fill(Empty);
        Count = 0;
    }

    public int Count { get; private set; }

    /// <summary>Slots needed for <paramref name="values"/> values: a power of two at least twice as large.</summary>
    public static int CapacityFor(int values) => (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * values + 1)));

    /// <summary>Adds <paramref name="value"/>; <c>false</c> if it was already present.</summary>
    public bool Add(int value)
    {
        var i = Hash(value) & _mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == Empty)
            {
                _slots[i] = value;
                Count++;
                return true;
            }
            if (slot == value) return false;
            i = (i + 1) & _mask;
        }
    }

    public readonly bool Contains(int value)
    {
        var i = Hash(value) & _mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == Empty) return false;
            if (slot == value) return true;
            i = (i + 1) & _mask;
        }
    }

    private static int Hash(int value) => (int)((uint)value * 0x9E3779B1u >> 7);
}
