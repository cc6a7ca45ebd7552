using System.Globalization;
using GenSR.Core.Data;
using GenSR.Core.Data.Loaders;
using GenSR.Core.Metrics;
using GenSR.Core.Runtime;

namespace GenSR.Evaluation.CommandLine;

/// <summary>Parses the evaluation console's arguments into <see cref="EvaluationSettings"/>, with errors that name the option and what it accepts.</summary>
public static class EvaluationCommandLine
{
    /// <summary>The usage text.</summary>
    public static string Usage { get; } = """
        usage: GenSR.Evaluation.Cli (--data <folder> [--format auto|amazon|movielens|jsonl] | --demo) [options]
               GenSR.Evaluation.Cli merge <report.json> <report.json> ... --out <folder>
                 one report from runs of the same comparison made separately (e.g. one seed each)

        data
          --data <folder>          dataset folder (Amazon *.inter.json + *.item.json, MovieLens u.data + u.item, or events.jsonl)
          --format <name>          auto (default: from the folder's files), amazon, movielens or jsonl
          --demo                   the embedded demo dataset instead of --data
          --demo-users <n>         demo users (default 1000); --demo-items <n> demo items (default 500)
          --search-fraction <x>    share of events made search events when the data has no queries, in [0, 1] (default 0.5)
          --max-history <n>        most recent events kept as history, in [1, 10000] (default 20)

        evaluation
          --protocol <p>           full, sampled or both (default both)
          --tasks <t>              recommendation, search or both (default: every task each system serves); a system
                                   serving none of them is left out with a note
          --max-users <n>          a seeded sample of n users (seed 42) with their whole histories, for a quick run on a
                                   large dataset; the report names the sample (published rows are then not shown)
          --published <file>       published figures to show beside the measured rows, labelled with their source
                                   (a gensr-published-results JSON file, e.g. docs/results/published/amazon-beauty.json)
          --negatives <n>          negatives per case of the sampled protocol (default 99)
          --exclude-seen yes|no    full ranking ignores items the user saw before the target (default yes)
          --systems <list>         comma-separated, in report order (default popularity,category-popularity,bm25,sasrec,joint)
          --seeds <n>              runs per system with seeds --seed, --seed + 1, ... (default 1); --seed <s> (default 42)
          --max-epochs <n>         epoch limit of the trained baselines; --patience <n> early-stopping patience
          --learning-rate <x>      GenSR's peak learning rate, in (0, 1] (default: the library's, 1e-3)
          --pointwise-fraction <x> share of GenSR's training examples also trained as Yes/No rows, in [0, 1] (default 0;
                                   gensr-pointwise 0.5)
          --indexing-fraction <x>  GenSR indexing rows (item text -> identifier) per item and epoch, in [0, 10] (default 1)
          --backbone <b>           GenSR's backbone: default (2 + 2 layers, d_model 128) or tiger (4 + 4, d_ff 1024, 6 heads)
          --bucket-by-length yes|no  GenSR batches rows of similar history length (default no)
          --item-categories yes|no GenSR's item tokens (semantic view, dense head) start with the category words; the cap on
                                   item tokens rises from 10 to 20 (demo: 6 to 12) (default no)
          --item-encoder <e>       GenSR's semantic item vectors for identifiers: lsa (default), minilm or arctic
          --query-vectors <e>      GenSR reads pretrained query vectors: none (default), minilm or arctic (with its query
                                   prefix); the dense head's item side uses the same encoder's item vectors
          --semantic-view <v>      what GenSR's semantic history view reads: titles (title tokens, default), vectors (one
                                   frozen item vector per history item: the query encoder's, else the identifiers'
                                   semantic vectors) or off
          --max-steps <n>          GenSR step budget per model (default none)
          --max-minutes <x>        GenSR training-time budget per model in minutes (default none); the best validated
                                   weights are kept when a budget ends
          --conflict-every <n>     probe GenSR's gradient conflict between the tasks every n steps (default never);
          --conflict-dense-mix <x> with the dense head's loss mixed in at weight x in [0, 1] (default 0)

        runtime and output
          --device <d>             auto (default), cpu or cuda
          --threads <n>            CPU threads for torch (default: torch's choice)
          --out <folder>           where report.md and report.json go (default evaluation-results)
          --quiet                  no per-epoch progress
          --help                   this text
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments; each option takes its value as the next argument or after <c>=</c>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="CommandLineException">An option is unknown, repeated, missing its value or has a bad value; or neither/both of --data and --demo.</exception>
    public static EvaluationSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new EvaluationSettings();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inlineValue = arg[(equals + 1)..];
                arg = arg[..equals];
            }
            if (!seen.Add(arg))
                throw new CommandLineException($"{arg} is given twice.");

            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new CommandLineException($"{arg} needs a value.");
                return args[++i];
            }

            settings = arg switch
            {
                "--data" => settings with { DataFolder = Value() },
                "--format" => settings with { Format = ParseFormat(Value()) },
                "--demo" => settings with { Demo = Flag(arg, inlineValue) },
                "--demo-users" => settings with { DemoUsers = Integer(arg, Value(), 1, 1_000_000) },
                "--demo-items" => settings with { DemoItems = Integer(arg, Value(), 100, 100_000) },
                "--search-fraction" => settings with { SearchFraction = Fraction(arg, Value()) },
                "--max-history" => settings with { MaxHistory = Integer(arg, Value(), 1, 10_000) },
                "--protocol" => settings with { Protocols = ParseProtocols(Value()) },
                "--max-users" => settings with { MaxUsers = Integer(arg, Value(), 1, int.MaxValue) },
                "--published" => settings with { PublishedFile = NonEmpty(arg, Value()) },
                "--tasks" => settings with { Tasks = ParseTasks(Value()) },
                "--negatives" => settings with { Negatives = Integer(arg, Value(), 1, 1_000_000) },
                "--exclude-seen" => settings with { ExcludeSeen = YesNo(arg, Value()) },
                "--systems" => settings with { Systems = ParseSystems(Value()) },
                "--seeds" => settings with { SeedCount = Integer(arg, Value(), 1, 100) },
                "--seed" => settings with { Seed = LongInteger(arg, Value()) },
                "--max-epochs" => settings with { MaxEpochs = Integer(arg, Value(), 1, 1000) },
                "--patience" => settings with { Patience = Integer(arg, Value(), 1, 1000) },
                "--learning-rate" => settings with { LearningRate = Rate(arg, Value()) },
                "--pointwise-fraction" => settings with { PointwiseFraction = Fraction(arg, Value()) },
                "--indexing-fraction" => settings with { IndexingFraction = Bounded(arg, Value(), 0, 10) },
                "--backbone" => settings with { Backbone = ParseBackbone(Value()) },
                "--max-steps" => settings with { MaxSteps = Integer(arg, Value(), 1, int.MaxValue) },
                "--bucket-by-length" => settings with { BucketByLength = YesNo(arg, Value()) },
                "--item-categories" => settings with { ItemCategories = YesNo(arg, Value()) },
                "--item-encoder" => settings with { ItemEncoder = ParseEncoder(arg, Value(), "lsa") },
                "--query-vectors" => settings with { QueryVectors = ParseEncoder(arg, Value(), "none") },
                "--semantic-view" => settings with { SemanticView = ParseSemanticView(Value()) },
                "--max-minutes" => settings with { MaxMinutes = Bounded(arg, Value(), 0.01, 100_000) },
                "--conflict-every" => settings with { ConflictEvery = Integer(arg, Value(), 1, int.MaxValue) },
                "--conflict-dense-mix" => settings with { ConflictDenseMix = Fraction(arg, Value()) },
                "--device" => settings with { Device = ParseDevice(Value()) },
                "--threads" => settings with { Threads = Integer(arg, Value(), 0, 1024) },
                "--out" => settings with { OutputFolder = NonEmpty(arg, Value()) },
                "--quiet" => settings with { Quiet = Flag(arg, inlineValue) },
                "--help" or "-h" => settings with { Help = true },
                _ => throw new CommandLineException($"unknown option \"{args[i]}\"; see --help."),
            };
        }
        if (settings.Help) return settings;
        if (settings.DataFolder is null && !settings.Demo)
            throw new CommandLineException("give --data <folder> or --demo.");
        if (settings.DataFolder is not null && settings.Demo)
            throw new CommandLineException("give either --data or --demo, not both.");
        if (settings.PublishedFile is not null && !File.Exists(settings.PublishedFile))
            throw new CommandLineException($"--published: the file \"{settings.PublishedFile}\" does not exist.");
        if (settings.DataFolder is not null && !Directory.Exists(settings.DataFolder))
            throw new CommandLineException($"--data: the folder \"{settings.DataFolder}\" does not exist.");
        if (settings.Demo && settings.Format is not null)
            throw new CommandLineException("--format applies to --data, not to --demo.");
        if (!settings.Demo && (settings.DemoUsers is not null || settings.DemoItems is not null))
            throw new CommandLineException("--demo-users and --demo-items apply to --demo only.");
        return settings;
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

    private static ComputeDevice ParseDevice(string value)
    {
        try
        {
            return TorchRuntime.Parse(value);
        }
        catch (ArgumentException)
        {
            throw new CommandLineException($"--device: unknown device \"{value}\"; expected auto, cpu or cuda.");
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

    private static bool YesNo(string option, string value) => value.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" or "on" => true,
        "no" or "false" or "off" => false,
        _ => throw new CommandLineException($"{option}: expected yes or no, got \"{value}\"."),
    };

    private static bool Flag(string option, string? inlineValue) =>
        inlineValue is null || YesNo(option, inlineValue);

    private static string NonEmpty(string option, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new CommandLineException($"{option}: expected a folder path, got an empty value.") : value;
}
