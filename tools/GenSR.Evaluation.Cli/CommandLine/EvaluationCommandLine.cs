using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation.CommandLine;

/// <summary>
/// The evaluation console's command line (System.CommandLine): the evaluation options on the root command and the
/// <c>merge</c> subcommand; <c>--help</c> lists every option with its default and the values it accepts. Errors name the
/// option and what it accepts.
/// </summary>
public sealed class EvaluationCommandLine
{
    /// <summary>The program name shown in help and usage.</summary>
    public const string ProgramName = "GenSR.Evaluation.Cli";

    /// <summary>The short usage written under a command-line error; <c>--help</c> lists every option.</summary>
    public static string Usage { get; } = """
        usage: GenSR.Evaluation.Cli (--data <folder> [--format auto|amazon|movielens|jsonl] | --demo) [options]
               GenSR.Evaluation.Cli merge <report.json> <report.json>... --out <folder>
        GenSR.Evaluation.Cli --help lists every option, its default and the values it accepts.
        """;

    private readonly List<Func<ParseResult, EvaluationSettings, EvaluationSettings>> _appliers = [];

    private readonly Option<bool> _demo;
    private readonly Option _data;
    private readonly Option<Parsed<DatasetFormat?>> _format;
    private readonly Option _demoUsers;
    private readonly Option _demoItems;

    // The messages of this class's command validators, told apart from the parser's own errors on a command.
    private readonly HashSet<string> _commandErrors = new(StringComparer.Ordinal);

    /// <summary>Builds the commands and their options.</summary>
    public EvaluationCommandLine()
    {
        Root = new RootCommand("Evaluates recommendation and search systems on one dataset under the full-ranking and sampled " +
                               "protocols, and writes report.md and report.json (see docs/evaluation.md).")
        {
            HelpName = ProgramName,
        };
        // No --version: the console's version is the repository's, and a report records the command line, not a version.
        Root.Options.Remove(Root.Options.Single(o => o is VersionOption));

        // data
        var data = Add("--data", "folder", "dataset folder (Amazon *.inter.json + *.item.json, MovieLens u.data + u.item, or events.jsonl)",
            (o, v) => Directory.Exists(NonEmpty(o, v)) ? v : throw new CommandLineException($"{o}: the folder \"{v}\" does not exist."),
            (s, v) => s with { DataFolder = v });
        var format = Add("--format", "auto|amazon|movielens|jsonl", "auto (default: from the folder's files), amazon, movielens or jsonl",
            (_, v) => ParseFormat(v), (s, v) => s with { Format = v });
        var demo = Flag("--demo", "the embedded demo dataset instead of --data", (s, v) => s with { Demo = v });
        var demoUsers = Add("--demo-users", "n", "demo users, in [1, 1000000] (default 1000)",
            (o, v) => (int?)Integer(o, v, 1, 1_000_000), (s, v) => s with { DemoUsers = v });
        var demoItems = Add("--demo-items", "n", "demo items, in [100, 100000] (default 500)",
            (o, v) => (int?)Integer(o, v, 100, 100_000), (s, v) => s with { DemoItems = v });
        Add("--search-fraction", "x", "share of events made search events when the data has no queries, in [0, 1] (default 0.5)",
            Fraction, (s, v) => s with { SearchFraction = v });
        Add("--max-history", "n", "most recent events kept as history, in [1, 10000] (default 20)",
            (o, v) => Integer(o, v, 1, 10_000), (s, v) => s with { MaxHistory = v });

        // evaluation
        Add("--protocol", "full|sampled|both", "full, sampled or both (default both)", (_, v) => ParseProtocols(v), (s, v) => s with { Protocols = v });
        Add("--tasks", "recommendation|search|both", "recommendation, search or both (default: every task each system serves); a system " +
                                                     "serving none of them is left out with a note",
            (_, v) => ParseTasks(v), (s, v) => s with { Tasks = v });
        Add("--max-users", "n", "a seeded sample of n users (seed 42) with their whole histories, for a quick run on a large dataset; " +
                                "the report names the sample (published rows are then not shown)",
            (o, v) => (int?)Integer(o, v, 1, int.MaxValue), (s, v) => s with { MaxUsers = v });
        Add("--published", "file", "published figures to show beside the measured rows, labelled with their source (a " +
                                   "gensr-published-results JSON file, e.g. docs/results/published/amazon-beauty.json)",
            (o, v) => File.Exists(NonEmpty(o, v, "a file path")) ? v : throw new CommandLineException($"{o}: the file \"{v}\" does not exist."),
            (s, v) => s with { PublishedFile = v });
        Add("--negatives", "n", "negatives per case of the sampled protocol, in [1, 1000000] (default 99)",
            (o, v) => Integer(o, v, 1, 1_000_000), (s, v) => s with { Negatives = v });
        Add("--exclude-seen", "yes|no", "full ranking ignores items the user saw before the target (default yes)",
            YesNo, (s, v) => s with { ExcludeSeen = v == YesNoValue.Yes });
        Add("--systems", "list", "comma-separated, in report order (default " + string.Join(',', SystemRegistry.DefaultKeys) + ")",
            (_, v) => ParseSystems(v), (s, v) => s with { Systems = v });
        Add("--seeds", "n", "runs per system with seeds --seed, --seed + 1, ..., in [1, 100] (default 1)",
            (o, v) => Integer(o, v, 1, 100), (s, v) => s with { SeedCount = v });
        Add("--seed", "s", "the first seed (default 42)", LongInteger, (s, v) => s with { Seed = v });
        Add("--max-epochs", "n", "epoch limit of the trained baselines, in [1, 1000] (default: each system's)",
            (o, v) => (int?)Integer(o, v, 1, 1000), (s, v) => s with { MaxEpochs = v });
        Add("--patience", "n", "early-stopping patience of the trained baselines, in [1, 1000] (default: each system's)",
            (o, v) => (int?)Integer(o, v, 1, 1000), (s, v) => s with { Patience = v });
        Add("--learning-rate", "x", "GenSR's peak learning rate, in (0, 1] (default: the library's, 1e-3)",
            (o, v) => (double?)Rate(o, v), (s, v) => s with { LearningRate = v });
        Add("--pointwise-fraction", "x", "share of GenSR's training examples also trained as Yes/No rows, in [0, 1] (default 0; " +
                                         "gensr-pointwise 0.5)",
            (o, v) => (double?)Fraction(o, v), (s, v) => s with { PointwiseFraction = v });
        Add("--indexing-fraction", "x", "GenSR indexing rows (item text -> identifier) per item and epoch, in [0, 10] (default 1)",
            (o, v) => (double?)Bounded(o, v, 0, 10), (s, v) => s with { IndexingFraction = v });
        Add("--backbone", "default|tiger", "GenSR's backbone: default (2 + 2 layers, d_model 128) or tiger (4 + 4, d_ff 1024, 6 heads)",
            (_, v) => ParseBackbone(v), (s, v) => s with { Backbone = v });
        Add("--bucket-by-length", "yes|no", "GenSR batches rows of similar history length (default no)",
            YesNo, (s, v) => s with { BucketByLength = v == YesNoValue.Yes });
        Add("--item-categories", "yes|no", "GenSR's item tokens (semantic view, dense head) start with the category words; the cap on " +
                                           "item tokens rises from 10 to 20 (demo: 6 to 12) (default no)",
            YesNo, (s, v) => s with { ItemCategories = v == YesNoValue.Yes });
        Add("--dense-categories", "n", "category-word tokens per item that the dense head of GenSR systems with one (gensr-dense, " +
                                       "gensr-fused) matches against the query's words, in [0, 512] (default 0: none)",
            (o, v) => Integer(o, v, 0, 512), (s, v) => s with { DenseCategories = v });
        Add("--dense-history", "yes|no", "the dense head of GenSR systems with one also reads the history items' own item-table rows, " +
                                         "recency-weighted (default no)",
            YesNo, (s, v) => s with { DenseHistory = v == YesNoValue.Yes });
        Add("--dense-category-cosine", "yes|no", "with --dense-categories, the dense head also adds a learned-scale cosine of the query's and " +
                                                 "the item's category words, 1 exactly when they embed alike (default no)",
            YesNo, (s, v) => s with { DenseCategoryCosine = v == YesNoValue.Yes });
        Add("--dense-soft-tokens", "yes|no", "the dense head of GenSR systems with one also adds the history views' user soft tokens, " +
                                             "projected (default no)",
            YesNo, (s, v) => s with { DenseSoftTokens = v == YesNoValue.Yes });
        Add("--item-encoder", "lsa|minilm|arctic", "GenSR's semantic item vectors for identifiers: lsa (default), minilm or arctic",
            (o, v) => ParseEncoder(o, v, "lsa"), (s, v) => s with { ItemEncoder = v });
        Add("--query-vectors", "none|minilm|arctic", "GenSR reads pretrained query vectors: none (default), minilm or arctic (with its " +
                                                     "query prefix); the dense head's item side uses the same encoder's item vectors",
            (o, v) => ParseEncoder(o, v, "none"), (s, v) => s with { QueryVectors = v });
        Add("--semantic-view", "titles|vectors|off", "what GenSR's semantic history view reads: titles (title tokens, default), vectors " +
                                                     "(one frozen item vector per history item: the query encoder's, else the identifiers' " +
                                                     "semantic vectors) or off",
            (_, v) => ParseSemanticView(v), (s, v) => s with { SemanticView = v });
        Add("--max-steps", "n", "GenSR step budget per model, at least 1 (default none)",
            (o, v) => (int?)Integer(o, v, 1, int.MaxValue), (s, v) => s with { MaxSteps = v });
        Add("--max-minutes", "x", "GenSR training-time budget per model in minutes, in [0.01, 100000] (default none); the best " +
                                  "validated weights are kept when a budget ends",
            (o, v) => (double?)Bounded(o, v, 0.01, 100_000), (s, v) => s with { MaxMinutes = v });
        Add("--conflict-every", "n", "probe GenSR's gradient conflict between the tasks every n steps (default never)",
            (o, v) => (int?)Integer(o, v, 1, int.MaxValue), (s, v) => s with { ConflictEvery = v });
        Add("--conflict-dense-mix", "x", "the probe's dense-head loss mixed in at weight x, in [0, 1] (default 0)",
            (o, v) => (double?)Fraction(o, v), (s, v) => s with { ConflictDenseMix = v });

        // runtime and output
        Add("--device", "auto|cpu|cuda|cuda:N", "auto (default), cpu, cuda or cuda:N", (_, v) => ParseDevice(v), (s, v) => s with { Device = v });
        Add("--threads", "n", "CPU threads for torch, in [0, 1024] (default: torch's choice)",
            (o, v) => Integer(o, v, 0, 1024), (s, v) => s with { Threads = v });
        Add("--out", "folder", "where report.md and report.json go (default evaluation-results)",
            (o, v) => NonEmpty(o, v), (s, v) => s with { OutputFolder = v });
        Flag("--quiet", "no per-epoch progress", (s, v) => s with { Quiet = v });

        _demo = demo;
        _data = data;
        _format = format;
        _demoUsers = demoUsers;
        _demoItems = demoItems;

        MergeReports = new Argument<string[]>("report.json")
        {
            Description = "the reports to merge: runs of the same comparison (dataset, protocols, systems) made separately, e.g. one seed each",
            Arity = ArgumentArity.OneOrMore,
        };
        MergeOutput = new Option<string>("--out")
        {
            Description = "where the merged report.md and report.json go",
            HelpName = "folder",
            Required = true,
        };
        Merge = new Command("merge", "writes one report from runs of the same comparison made separately (e.g. one seed each)")
        {
            MergeReports,
            MergeOutput,
        };
        Merge.Validators.Add(result =>
        {
            var reports = result.GetResult(MergeReports)?.Tokens ?? [];
            // An unknown option would otherwise be taken for a report file.
            foreach (var token in reports.Where(t => t.Value.StartsWith('-')))
                Refuse(result, $"merge takes report files and --out <folder>, not \"{token.Value}\".");
            if (reports.Count < 2) Refuse(result, "merge needs at least two report.json files and --out <folder>.");
        });
        Root.Add(Merge);
    }

    /// <summary>The root command: the evaluation run and its options; <see cref="Merge"/> is its subcommand.</summary>
    public RootCommand Root { get; }

    /// <summary>The <c>merge</c> subcommand.</summary>
    public Command Merge { get; }

    /// <summary>The report files <c>merge</c> reads.</summary>
    public Argument<string[]> MergeReports { get; }

    /// <summary>The folder <c>merge</c> writes the merged report to (<c>--out</c>).</summary>
    public Option<string> MergeOutput { get; }

    /// <summary>Parses <paramref name="args"/> as an evaluation run.</summary>
    /// <param name="args">The arguments; each option takes its value as the next argument or after <c>=</c>.</param>
    /// <returns>The settings; <see cref="EvaluationSettings.Help"/> when only help was asked for.</returns>
    /// <exception cref="CommandLineException">An option is unknown, repeated, missing its value or has a bad value; neither/both of
    /// --data and --demo; or the arguments are a <c>merge</c> (see <see cref="EvaluationCommand.Run"/>).</exception>
    public static EvaluationSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = new EvaluationCommandLine();
        // Without an action the parser would report the missing command rather than the options.
        commandLine.Root.SetAction(_ => { });
        commandLine.Merge.SetAction(_ => { });
        var result = commandLine.Root.Parse(args);
        var errors = commandLine.Errors(result);
        if (errors.Count > 0) throw new CommandLineException(string.Join(Environment.NewLine, errors));
        if (result.Action is HelpAction) return new EvaluationSettings { Help = true };
        if (result.CommandResult.Command != commandLine.Root)
            throw new CommandLineException("merge is no evaluation run: EvaluationCommand.Run runs it.");
        return commandLine.Settings(result);
    }

    /// <summary>The settings of a parse of the root command without errors.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The settings: <see cref="EvaluationSettings"/>'s defaults, with every option given applied.</returns>
    public EvaluationSettings Settings(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return _appliers.Aggregate(new EvaluationSettings(), (settings, apply) => apply(result, settings));
    }

    /// <summary>
    /// The errors of a parse, one message each, naming the option: an unknown option, a missing value, an option given twice,
    /// a bad value or a contradiction between options. Empty when help was asked for.
    /// </summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The messages, without the leading "error: ".</returns>
    public IReadOnlyList<string> Errors(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Action is HelpAction) return [];
        var messages = new List<string>();
        // An unknown option's value is unmatched too: name only the unknown options when there are any.
        var unmatched = result.UnmatchedTokens;
        var unknownOptions = unmatched.Where(t => t.StartsWith('-')).ToArray();
        foreach (var token in unknownOptions.Length > 0 ? unknownOptions : unmatched)
            messages.Add(token.StartsWith('-') ? $"unknown option \"{token}\"; see --help." : $"unexpected argument \"{token}\"; see --help.");

        var named = new HashSet<Option>();
        foreach (var option in result.CommandResult.Command.Options)
            if (result.GetResult(option) is { IdentifierTokenCount: > 1 } && named.Add(option))
                messages.Add($"{option.Name} is given twice.");
        foreach (var error in result.Errors)
        {
            switch (error.SymbolResult)
            {
                case OptionResult o when named.Contains(o.Option):
                    break;
                case OptionResult { Tokens.Count: 0 } o when o.Option.Arity.MinimumNumberOfValues > 0:
                    named.Add(o.Option);
                    messages.Add($"{o.Option.Name} needs a value.");
                    break;
                // The parser's "unrecognized" error for each unmatched token, already named above.
                case CommandResult when !_commandErrors.Contains(error.Message) && unmatched.Any(t => error.Message.Contains(t, StringComparison.Ordinal)):
                    break;
                default:
                    messages.Add(error.Message);
                    break;
            }
        }
        // As before System.CommandLine: the options' combination is judged once each option is right on its own.
        if (messages.Count == 0 && result.CommandResult.Command == Root) messages.AddRange(Contradictions(result));
        return messages;
    }

    private IEnumerable<string> Contradictions(ParseResult result)
    {
        var withDemo = Given(result, _demo) && result.GetValue(_demo);
        var withData = Given(result, _data);
        if (!withData && !withDemo) yield return "give --data <folder> or --demo.";
        if (withData && withDemo) yield return "give either --data or --demo, not both.";
        // --format auto is what leaving --format out means, so it is no contradiction to --demo.
        if (withDemo && result.GetValue(_format)?.Value is not null) yield return "--format applies to --data, not to --demo.";
        if (!withDemo && (Given(result, _demoUsers) || Given(result, _demoItems))) yield return "--demo-users and --demo-items apply to --demo only.";
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private void Refuse(CommandResult result, string message)
    {
        _commandErrors.Add(message);
        result.AddError(message);
    }

    /// <summary>An option with one value: <paramref name="parse"/> reads it (throwing <see cref="CommandLineException"/> for a
    /// bad one) and <paramref name="apply"/> sets it on the settings when the option is given.</summary>
    private Option<Parsed<T>> Add<T>(string name, string valueName, string description, Func<string, string, T> parse,
                                     Func<EvaluationSettings, T, EvaluationSettings> apply)
    {
        var option = new Option<Parsed<T>>(name)
        {
            Description = description,
            HelpName = valueName,
            CustomParser = result =>
            {
                // No value or several values are the parser's own errors (see Errors).
                if (result.Tokens.Count != 1) return default!;
                try
                {
                    return new Parsed<T>(parse(name, result.Tokens[0].Value));
                }
                catch (CommandLineException e)
                {
                    result.AddError(e.Message);
                    return default!;
                }
            },
        };
        Root.Add(option);
        // Options left out keep EvaluationSettings' defaults, the one place they are written.
        _appliers.Add((result, settings) => Given(result, option) ? apply(settings, result.GetValue(option)!.Value) : settings);
        return option;
    }

    /// <summary>
    /// A value as the parser holds it: never null itself, since the parser cannot convert a null from a custom parser into a
    /// nullable value type (and "--format auto" or "--tasks both" parse to null).
    /// </summary>
    private sealed record Parsed<T>(T Value);

    /// <summary>A switch: given alone it is on; <c>--name=false</c> turns it off.</summary>
    private Option<bool> Flag(string name, string description, Func<EvaluationSettings, bool, EvaluationSettings> apply)
    {
        var option = new Option<bool>(name) { Description = description };
        Root.Add(option);
        _appliers.Add((result, settings) => Given(result, option) ? apply(settings, result.GetValue(option)) : settings);
        return option;
    }

    private static DatasetFormat? ParseFormat(string value)
    {
        if (string.Equals(value, "auto", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return DatasetFormat.Parse(value);
        }
        catch (ArgumentException)
        {
            throw new CommandLineException($"--format: unknown format \"{value}\"; expected auto, {string.Join(", ", DatasetFormatNames.All)}.");
        }
    }

    private static IReadOnlyList<EvaluationProtocol> ParseProtocols(string value) => value.Trim().ToLowerInvariant() switch
    {
        "full" => [EvaluationProtocol.FullRanking],
        "sampled" => [EvaluationProtocol.Sampled],
        "both" => [EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled],
        _ => throw new CommandLineException($"--protocol: unknown protocol \"{value}\"; expected full, sampled or both."),
    };

    private static IReadOnlyList<TaskKind>? ParseTasks(string value) => value.Trim().ToLowerInvariant() switch
    {
        "recommendation" => [TaskKind.Recommendation],
        "search" => [TaskKind.Search],
        "both" => null,
        _ => throw new CommandLineException($"--tasks: unknown task \"{value}\"; expected recommendation, search or both."),
    };

    private static TorchSharp.torch.Device? ParseDevice(string value)
    {
        try
        {
            return TorchRuntime.ParseDevice(value);
        }
        catch (ArgumentException)
        {
            throw new CommandLineException($"--device: unknown device \"{value}\"; expected auto, cpu, cuda or cuda:N.");
        }
    }

    private static IReadOnlyList<string> ParseSystems(string value)
    {
        var keys = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => k.ToLowerInvariant()).ToArray();
        if (keys.Length == 0) throw new CommandLineException("--systems: give at least one system.");
        var repeated = keys.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new CommandLineException($"--systems: \"{repeated.Key}\" is listed twice.");
        return keys;
    }

    private static int Integer(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new CommandLineException($"{option}: expected an integer in [{min}, {max}], got \"{value}\".");

    private static long LongInteger(string option, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CommandLineException($"{option}: expected an integer, got \"{value}\".");

    private static double Fraction(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 0 and <= 1
            ? x
            : throw new CommandLineException($"{option}: expected a number in [0, 1], got \"{value}\".");

    private static double Bounded(string option, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max
            ? x
            : throw new CommandLineException(string.Create(CultureInfo.InvariantCulture, $"{option}: expected a number in [{min}, {max}], got \"{value}\"."));

    private static string ParseEncoder(string option, string value, string none) => value.Trim().ToLowerInvariant() switch
    {
        var v when v == none => none,
        "minilm" => "minilm",
        "arctic" => "arctic",
        _ => throw new CommandLineException($"{option}: unknown encoder \"{value}\"; expected {none}, minilm or arctic."),
    };

    private static string ParseSemanticView(string value) => value.Trim().ToLowerInvariant() switch
    {
        "titles" => "titles",
        "vectors" => "vectors",
        "off" => "off",
        _ => throw new CommandLineException($"--semantic-view: unknown view \"{value}\"; expected titles, vectors or off."),
    };

    private static string ParseBackbone(string value) => value.Trim().ToLowerInvariant() switch
    {
        "default" => "default",
        "tiger" => "tiger",
        _ => throw new CommandLineException($"--backbone: unknown backbone \"{value}\"; expected default or tiger."),
    };

    private static double Rate(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is > 0 and <= 1
            ? x
            : throw new CommandLineException($"{option}: expected a number in (0, 1], got \"{value}\".");

    // Not bool: the parser gives a bool option only the values true and false, and these options take yes and no.
    private enum YesNoValue
    {
        No,
        Yes,
    }

    private static YesNoValue YesNo(string option, string value) => value.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" or "on" => YesNoValue.Yes,
        "no" or "false" or "off" => YesNoValue.No,
        _ => throw new CommandLineException($"{option}: expected yes or no, got \"{value}\"."),
    };

    private static string NonEmpty(string option, string value, string what = "a folder path") =>
        string.IsNullOrWhiteSpace(value) ? throw new CommandLineException($"{option}: expected {what}, got an empty value.") : value;
}
