using System.Globalization;
using System.Numerics;

namespace GenSR.Core;

/// <summary>
/// The one guard behind every options record of the library: a value is checked when it is set (in the property's
/// <c>init</c>), and a bad one throws <see cref="ArgumentOutOfRangeException"/> naming the option as
/// <c>Owner.Option</c>, the accepted range and the value given.
/// </summary>
internal static class OptionGuard
{
    /// <summary><paramref name="value"/> when it lies in the range (ends included unless marked exclusive).</summary>
    public static T InRange<T>(T value, T min, T max, string option, string owner, bool minExclusive = false, bool maxExclusive = false)
        where T : struct, INumber<T>
    {
        var aboveMin = minExclusive ? value > min : value >= min;
        var belowMax = maxExclusive ? value < max : value <= max;
        if (aboveMin && belowMax && !T.IsNaN(value)) return value;
        throw Fail(option, owner, value, $"in {(minExclusive ? "(" : "[")}{Format(min)}, {Format(max)}{(maxExclusive ? ")" : "]")}");
    }

    /// <summary><paramref name="value"/> when it is null or lies in the range.</summary>
    public static T? InRange<T>(T? value, T min, T max, string option, string owner, bool minExclusive = false, bool maxExclusive = false)
        where T : struct, INumber<T> =>
        value is { } v ? InRange(v, min, max, option, owner, minExclusive, maxExclusive) : null;

    /// <summary><paramref name="value"/> when it is at least <paramref name="min"/>.</summary>
    public static T AtLeast<T>(T value, T min, string option, string owner) where T : struct, INumber<T> =>
        value >= min ? value : throw Fail(option, owner, value, $"at least {Format(min)}");

    /// <summary><paramref name="value"/> when it is null or at least <paramref name="min"/>.</summary>
    public static T? AtLeast<T>(T? value, T min, string option, string owner) where T : struct, INumber<T> =>
        value is { } v ? AtLeast(v, min, option, owner) : null;

    /// <summary><paramref name="value"/> when it is a named member of its enum.</summary>
    public static T Defined<T>(T value, string option, string owner) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw Fail(option, owner, value, $"one of {string.Join(", ", Enum.GetNames<T>())}");

    private static ArgumentOutOfRangeException Fail(string option, string owner, object value, string expected) =>
        new(option, value, $"{owner}.{option} must be {expected}; got {Format(value)}.");

    private static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
}
