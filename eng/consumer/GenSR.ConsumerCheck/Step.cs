using System.Diagnostics;

namespace GenSR.ConsumerCheck;

/// <summary>Progress lines with the elapsed time, and checks that stop the run with a message.</summary>
internal static class Step
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Prints one progress line prefixed with the seconds since start.</summary>
    public static void Say(string message) => Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,5:F1} s] {message}");

    /// <summary>Throws when <paramref name="condition"/> does not hold.</summary>
    /// <exception cref="InvalidOperationException">The condition is false; the message says what went wrong.</exception>
    public static void Require(bool condition, string failure)
    {
        if (!condition) throw new InvalidOperationException(failure);
    }
}
