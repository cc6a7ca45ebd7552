using System.Diagnostics.CodeAnalysis;

namespace GenSR.Representation;

/// <summary>
/// Looks up a string-keyed dictionary by a span of characters: without allocating on .NET 9 and later (the dictionary's
/// alternate lookup), through a temporary string on .NET 8, which has no alternate lookup.
/// </summary>
/// <typeparam name="TValue">The dictionary's value type.</typeparam>
internal readonly struct StringSpanLookup<TValue>
{
    private readonly Dictionary<string, TValue> _dictionary;
#if NET9_0_OR_GREATER
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _alternate;
#endif

    /// <summary>Wraps <paramref name="dictionary"/>, whose comparer must be <see cref="StringComparer.Ordinal"/>.</summary>
    public StringSpanLookup(Dictionary<string, TValue> dictionary)
    {
        _dictionary = dictionary;
#if NET9_0_OR_GREATER
        _alternate = dictionary.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
    }

    /// <summary>The value stored under <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out TValue value)
    {
#if NET9_0_OR_GREATER
        return _alternate.TryGetValue(key, out value);
#else
        return _dictionary.TryGetValue(key.ToString(), out value);
#endif
    }

    /// <summary>The stored key equal to <paramref name="key"/>, if any (so that callers can reuse its string).</summary>
    public bool TryGetKey(ReadOnlySpan<char> key, [NotNullWhen(true)] out string? storedKey)
    {
#if NET9_0_OR_GREATER
        return _alternate.TryGetValue(key, out storedKey, out _);
#else
        var text = key.ToString();
        if (_dictionary.ContainsKey(text))
        {
            storedKey = text;
            return true;
        }
        storedKey = null;
        return false;
#endif
    }
}
