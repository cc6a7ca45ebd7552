using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using GenSR.Core;
using GenSR.Representation;

namespace GenSR.Quickstart;

/// <summary>
/// The quickstart's command line (System.CommandLine): every option with its default, <c>--help</c>, and errors that name
/// the option and what it accepts.
/// </summary>
internal static class QuickstartCommandLine
{
    /// <summary>Exit code of a command-line error.</summary>
    public const int UsageError = 2;

    /// <summary>The line written under a command-line error.</summary>
    public const string Usage = "usage: dotnet run --project samples/GenSR.Quickstart -c Release [-- options]; --help lists the options.";

    private static readonly QuickstartOptions Defaults = new();

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments; an option's value follows it or comes after <c>=</c>.</param>
    /// <param name="output">Where help goes.</param>
    /// <param name="error">Where errors and the usage line go.</param>
    /// <param name="exitCode">When the result is <c>null</c>: 0 after help, <see cref="UsageError"/> after an error.</param>
    /// <returns>The options, or <c>null</c> when the program should end with <paramref name="exitCode"/>.</returns>
    public static QuickstartOptions? Parse(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var data = new Option<string?>("--data") { Description = "a dataset folder (default: the embedded demo dataset)", HelpName = "folder" };
        data.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } folder && !Directory.Exists(folder))
                result.AddError($"--data: the folder \"{folder}\" does not exist.");
        });
        var format = Valued<DatasetFormat?>("--format", "amazon|movielens|jsonl", "the dataset format (default: detected from the folder)",
            "amazon, movielens or jsonl", v => DatasetFormat.Parse(v));
        var device = Valued("--device", "auto|cpu|cuda|cuda:N", "the device", "auto, cpu, cuda or cuda:N", TorchRuntime.ParseDevice, Defaults.Device);
        var epochs = Integer("--epochs", "maximum training epochs", 1, 10_000, Defaults.Epochs);
        var outFolder = new Option<string>("--out")
        {
            Description = "where the checkpoint, report and plot go",
            HelpName = "folder",
            DefaultValueFactory = _ => Defaults.Out,
        };
        outFolder.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--out: expected a folder path, got an empty value.");
        });
        var seed = Valued("--seed", "n", "the seed", "an integer",
            v => long.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture), Defaults.Seed);
        var evaluationCases = Valued<int?>("--eval-cases", "n", "evaluate on the first n test users only (default: all)",
            "a positive integer", v => Positive(v));
        var threads = Valued<int?>("--threads", "n", "CPU threads for torch (default: half the cores, at least 1)",
            "an integer in [1, 1024]", v => Positive(v) is var n and <= 1024 ? n : throw new FormatException());
        var identifiers = Valued("--identifiers", "semantic|collaborative|fused", "the item vectors the identifiers are built from",
            "semantic, collaborative or fused", ParseIdentifiers, Defaults.Identifiers);
        var modelDimension = Valued("--model-dim", "n", "backbone width, a multiple of 32", "a multiple of 32 in [32, 4096]",
            v => Positive(v) is var n and <= 4096 && n % 32 == 0 ? n : throw new FormatException(), Defaults.ModelDimension);
        var promptItems = Integer("--prompt-items", "recent history items written into the prompt", 1, 4096, Defaults.PromptHistoryItems);
        var textEncoder = Valued("--text-encoder", "lsa|minilm|arctic",
            "item vectors for identifiers, and with a pretrained encoder also query vectors (minilm and arctic come from their NuGet packages)",
            "lsa, minilm or arctic",
            v => v.Trim().ToLowerInvariant() is "lsa" or "minilm" or "arctic" ? v.Trim().ToLowerInvariant() : throw new FormatException(),
            Defaults.TextEncoder);

        var root = new RootCommand("Trains GenSR end to end on the embedded demo dataset or a dataset folder, evaluates both tasks " +
                                   "under both protocols beside popularity, and writes a checkpoint, a Markdown report and a plot.")
        {
            data, format, device, epochs, outFolder, seed, evaluationCases, threads, identifiers, modelDimension, promptItems, textEncoder,
        };
        root.HelpName = "GenSR.Quickstart";
        root.Options.Remove(root.Options.Single(o => o is VersionOption));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors) error.WriteLine($"error: {e.Message}");
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
        return new QuickstartOptions
        {
            Data = result.GetValue(data),
            Format = result.GetValue(format),
            Device = result.GetValue(device),
            Epochs = result.GetValue(epochs),
            Out = result.GetValue(outFolder)!,
            Seed = result.GetValue(seed),
            EvaluationCases = result.GetValue(evaluationCases),
            Threads = result.GetValue(threads),
            ModelDimension = result.GetValue(modelDimension),
            Identifiers = result.GetValue(identifiers),
            PromptHistoryItems = result.GetValue(promptItems),
            TextEncoder = result.GetValue(textEncoder)!,
        };
    }

    /// <summary>
    /// An option whose value <paramref name="parse"/> reads; a value it refuses (by throwing) becomes the error
    /// "<c>name: expected what, got "value".</c>".
    /// </summary>
    private static Option<T> Valued<T>(string name, string helpName, string description, string expected, Func<string, T> parse)
    {
        return new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                // No value or several values are the parser's own errors.
                if (result.Tokens.Count != 1) return default!;
                var value = result.Tokens[0].Value;
                try
                {
                    return parse(value);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    result.AddError($"{name}: expected {expected}, got \"{value}\".");
                    return default!;
                }
            },
        };
    }

    private static Option<T> Valued<T>(string name, string helpName, string description, string expected, Func<string, T> parse, T defaultValue)
    {
        var option = Valued(name, helpName, description, expected, parse);
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    private static Option<int> Integer(string name, string description, int min, int max, int defaultValue) =>
        Valued(name, "n", description, string.Create(CultureInfo.InvariantCulture, $"an integer in [{min}, {max}]"),
            v => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) is var n && n >= min && n <= max ? n : throw new FormatException(),
            defaultValue);

    private static int Positive(string value) =>
        int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) is var n and >= 1 ? n : throw new FormatException();

    private static IdentifierSource ParseIdentifiers(string value) => value.Trim().ToLowerInvariant() switch
    {
        "semantic" => IdentifierSource.Semantic,
        "collaborative" => IdentifierSource.Collaborative,
        "fused" => IdentifierSource.Fused,
        _ => throw new FormatException(),
    };
}
