namespace GenSR.Core;

/// <summary>
/// A set of tensors (or other disposables) returned together and owned together: the base of the library's batches and
/// encodings. A subclass registers each member with <see cref="Own{T}"/> in its constructor; <see cref="Dispose"/> then
/// releases them all, once, in the order they were registered.
/// </summary>
public abstract class TensorBundle : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Releases every member.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        foreach (var member in _owned) member.Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers <paramref name="member"/> (ignored when null) to be released with the bundle, and returns it.</summary>
    protected T Own<T>(T member) where T : IDisposable?
    {
        if (member is not null) _owned.Add(member);
        return member;
    }
}
