namespace GenSR.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread. The framework's
/// <see cref="Progress{T}"/> posts each report to the captured synchronisation context or the thread pool, so reports
/// can arrive after the work has finished and, on the thread pool, out of order; this one keeps them in step with the
/// work. The handler must be quick and thread-safe when the work reports from several threads.
/// </summary>
/// <typeparam name="T">The progress value.</typeparam>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates the adapter.</summary>
    /// <param name="handler">Called with every reported value, on the reporting thread.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public SynchronousProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <inheritdoc/>
    public void Report(T value) => _handler(value);
}
