namespace GenSR.Representation;

/// <summary>A code sequence (or prefix) as a dictionary key with value equality.</summary>
internal readonly struct CodeSequence : IEquatable<CodeSequence>
{
    private readonly int[] _codes;
    private readonly int _hash;

    public CodeSequence(int[] codes)
    {
        _codes = codes;
        var h = new HashCode();
        foreach (var c in codes) h.Add(c);
        _hash = h.ToHashCode();
    }

    public bool Equals(CodeSequence other) => _codes.AsSpan().SequenceEqual(other._codes);

    public override bool Equals(object? obj) => obj is CodeSequence other && Equals(other);

    public override int GetHashCode() => _hash;
}
