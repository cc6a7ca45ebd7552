namespace GenSR.Representation;

/// <summary>Range checks shared by the history encoders' options; messages name the record and the option.</summary>
internal static class HistoryOptionChecks
{
    public static int Range(int value, int min, int max, string option, string record) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(option, value, $"{record}.{option} must be {min} … {max}; got {value}.");

    public static int Width(int value, string option, string record) => Range(value, 1, 65_536, option, record);

    public static int? OptionalWidth(int? value, string option, string record, int max = 65_536) =>
        value is null ? null : Range(value.Value, 1, max, option, record);

    public static double Probability(double value, string option, string record) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(option, value, $"{record}.{option} must be in [0, 1); got {value}.");
}
