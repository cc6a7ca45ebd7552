using System.CommandLine;
using System.CommandLine.Help;
using GenSR.Core;

namespace GenSR.DatasetStats;

/// <summary>What to load: the dataset folders in the order given, their format, and whether the demo dataset comes first.</summary>
/// <param name="Folders">The folders of <c>--data</c>, in order.</param>
/// <param name="Format">The format of every folder (<c>--format</c>); <c>null</c> (auto) detects each folder's from its files.</param>
/// <param name="Demo">Whether the embedded demo dataset is loaded too (<c>--demo</c>).</param>
internal sealed record DatasetStatsOptions(IReadOnlyList<string> Folders, DatasetFormat? Format, bool Demo);

/// <summary>The command line of GenSR.DatasetStats (System.CommandLine), with <c>--help</c> and errors that name the option.</summary>
internal static class DatasetStatsCommandLine
{
    /// <summary>Exit code of a command-line error.</summary>
    public const int UsageError = 2;

    /// <summary>The lines written under a command-line error.</summary>
    public const string Usage = """
        usage: GenSR.DatasetStats --data <folder> [--data <folder> ...] [--format auto|amazon|movielens|jsonl]
               GenSR.DatasetStats --demo
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where help goes.</param>
    /// <param name="error">Where errors and the usage go.</param>
    /// <param name="exitCode">When the result is <c>null</c>: 0 after help, <see cref="UsageError"/> after an error.</param>
    /// <returns>The options, or <c>null</c> when the program should end with <paramref name="exitCode"/>.</returns>
    public static DatasetStatsOptions? Parse(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        // Repeated, one folder each time; a folder that does not load is the run's failure (exit code 1), not the command line's.
        var data = new Option<string[]>("--data")
        {
            Description = "a dataset folder (Amazon *.inter.json + *.item.json, MovieLens u.data + u.item, or events.jsonl); repeat it for several datasets",
            HelpName = "folder",
        };
        var format = new Option<FormatChoice>("--format")
        {
            Description = "the format of every --data folder: auto (default: each folder's from its files), amazon, movielens or jsonl",
            HelpName = "auto|amazon|movielens|jsonl",
            CustomParser = result =>
            {
                if (result.Tokens.Count != 1) return new FormatChoice(null);
                var value = result.Tokens[0].Value;
                if (string.Equals(value.Trim(), "auto", StringComparison.OrdinalIgnoreCase)) return new FormatChoice(null);
                try
                {
                    return new FormatChoice(DatasetFormat.Parse(value));
                }
                catch (ArgumentException)
                {
                    result.AddError($"--format: unknown format \"{value}\"; expected auto, {string.Join(", ", DatasetFormatNames.All)}.");
                    return new FormatChoice(null);
                }
            },
        };
        var demo = new Option<bool>("--demo") { Description = "the embedded demo dataset (before any --data folders)" };
        var root = new RootCommand("Loads one or more datasets (or the embedded demo) and prints one line of statistics per dataset, " +
                                   "then the loader's warnings. Exit code: 0 when every dataset loaded, 1 when one failed, 2 on a " +
                                   "command-line error.")
        {
            data, format, demo,
        };
        root.HelpName = "GenSR.DatasetStats";
        root.Options.Remove(root.Options.Single(o => o is VersionOption));

        var result = root.Parse(args);
        var errors = result.Errors.Select(e => e.Message).ToList();
        // Judged once every option is right on its own (a command validator would hide the options' own errors).
        if (errors.Count == 0 && result.Action is not HelpAction && result.GetResult(data) is null && !result.GetValue(demo))
            errors.Add("give --data <folder> or --demo.");
        if (errors.Count > 0)
        {
            foreach (var message in errors) error.WriteLine($"error: {message}");
            error.WriteLine(Usage);
            exitCode = UsageError;
            return null;
        }
        if (result.Action is HelpAction)
        {
            exitCode = result.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return null;
        }
        exitCode = 0;
        return new DatasetStatsOptions(result.GetValue(data) ?? [], result.GetValue(format)?.Format, result.GetValue(demo));
    }

    /// <summary>The value of <c>--format</c>, <c>null</c> for auto: wrapped, since the parser cannot convert a null from a custom
    /// parser into a nullable value type.</summary>
    private sealed record FormatChoice(DatasetFormat? Format);
}
