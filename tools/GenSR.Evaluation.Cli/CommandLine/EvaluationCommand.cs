using System.CommandLine;
using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation.CommandLine;

/// <summary>The evaluation console: parse, load, run every system, write report.md and report.json.</summary>
public static class EvaluationCommand
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the data or a run failed (the message says why).</summary>
    public const int RunFailed = 1;

    /// <summary>Exit code of a command-line error.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when the run was cancelled.</summary>
    public const int Cancelled = 130;

    /// <summary>Runs the console.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Progress and the summary.</param>
    /// <param name="error">Error messages and, on a command-line error, the usage.</param>
    /// <param name="cancellationToken">Cancels the run (e.g. on Ctrl+C).</param>
    /// <returns>One of <see cref="Success"/>, <see cref="RunFailed"/>, <see cref="UsageError"/>, <see cref="Cancelled"/>.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var commandLine = new EvaluationCommandLine();
        commandLine.Root.SetAction(result => Evaluate(commandLine.Settings(result), args, output, error, cancellationToken));
        commandLine.Merge.SetAction(result => Merge(result.GetValue(commandLine.MergeReports)!, result.GetValue(commandLine.MergeOutput)!, output, error));
        var parsed = commandLine.Root.Parse(args);
        var errors = commandLine.Errors(parsed);
        if (errors.Count > 0) return CommandLineError(errors, error);
        // Help goes to the output; the actions report their own failures, and Ctrl+C is the caller's token.
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    private static int CommandLineError(IEnumerable<string> messages, TextWriter error)
    {
        foreach (var message in messages) error.WriteLine($"error: {message}");
        error.WriteLine(EvaluationCommandLine.Usage);
        return UsageError;
    }

    private static int Evaluate(EvaluationSettings settings, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyList<SystemDefinition> systems;
        try
        {
            systems = SystemRegistry.Select(settings);
        }
        catch (CommandLineException e)
        {
            return CommandLineError([e.Message], error);
        }

        try
        {
            TorchRuntime.SetThreads(settings.Threads);
            var dataset = settings.Demo
                ? DemoDataset.Generate(new DemoDatasetOptions
                {
                    Users = settings.DemoUsers ?? new DemoDatasetOptions().Users,
                    Items = settings.DemoItems ?? new DemoDatasetOptions().Items,
                })
                : settings.Format is { } format
                    ? DatasetLoader.Load(settings.DataFolder!, format, cancellationToken)
                    : DatasetLoader.Load(settings.DataFolder!, cancellationToken);
            if (settings.MaxUsers is { } maxUsers && maxUsers < dataset.Users.Count) dataset = SampleUsers(dataset, maxUsers);
            var options = new BenchmarkOptions
            {
                Protocols = settings.Protocols,
                Tasks = settings.Tasks,
                Published = settings.PublishedFile is { } published ? PublishedResult.Load(published) : [],
                Seeds = Enumerable.Range(0, settings.SeedCount).Select(i => settings.Seed + i).ToArray(),
                Device = settings.Device,
                Ranking = new RankingOptions
                {
                    ExcludeSeenItemsInFullRanking = settings.ExcludeSeen,
                    Sampled = new() { NegativeCount = settings.Negatives },
                },
                Split = new SplitOptions
                {
                    MaxHistory = settings.MaxHistory,
                    QuerySynthesis = new QuerySynthesisOptions { SearchFraction = settings.SearchFraction },
                },
            };
            var data = BenchmarkDataset.Prepare(dataset, options.Split.QuerySynthesis);
            var statistics = data.Dataset.ComputeStatistics();
            output.WriteLine($"dataset {data.Dataset.Name}: {statistics}");
            output.WriteLine($"queries: {data.Queries}");
            var progress = new ConsoleProgress(output, settings.Quiet);
            // A partial report after every run, so that a long comparison that is stopped keeps what it finished.
            var report = new BenchmarkRunner(options).Run(data, systems, RecordedCommand(args), progress, cancellationToken,
                afterEachRun: partial => output.WriteLine($"partial report: {partial.Save(settings.OutputFolder).Json}"));
            var (markdown, json) = report.Save(settings.OutputFolder);
            output.WriteLine();
            output.WriteLine(report.ToMarkdown());
            output.WriteLine($"wrote {markdown} and {json}");
            return Success;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return Cancelled;
        }
        catch (Exception e) when (e is DatasetFormatException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return RunFailed;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return RunFailed;
        }
    }

    /// <summary><c>merge a/report.json b/report.json ... --out folder</c>: writes one report from the given ones.</summary>
    private static int Merge(IReadOnlyList<string> inputs, string folder, TextWriter output, TextWriter error)
    {
        try
        {
            var reports = new List<BenchmarkReport>();
            foreach (var input in inputs)
            {
                if (!File.Exists(input)) throw new FileNotFoundException($"{input}: the report does not exist.", input);
                reports.Add(BenchmarkReport.Load(input));
            }
            var (markdown, json) = BenchmarkReport.Merge(reports).Save(folder);
            output.WriteLine($"merged {inputs.Count} reports into {markdown} and {json}");
            return Success;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return RunFailed;
        }
    }

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;

    /// <summary>The command line as a report records it: the values of --data and --out relative to the working directory
    /// (the repository root when the documented commands are followed), so no machine's absolute paths are written.</summary>
    public static string RecordedCommand(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parts = new List<string> { "GenSR.Evaluation.Cli" };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--data" or "--out" && i + 1 < args.Count)
            {
                parts.Add(arg);
                parts.Add(Quote(Relative(args[++i])));
                continue;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && arg[..eq] is "--data" or "--out")
            {
                parts.Add(Quote($"{arg[..eq]}={Relative(arg[(eq + 1)..])}"));
                continue;
            }
            parts.Add(Quote(arg));
        }
        return string.Join(' ', parts);
    }

    private static string Relative(string path) =>
        Path.IsPathRooted(path) ? Path.GetRelativePath(Environment.CurrentDirectory, path).Replace('\\', '/') : path;

    /// <summary>Writes runner progress as one line per event, on the calling thread.</summary>
    private sealed class ConsoleProgress(TextWriter output, bool quiet) : IProgress<BenchmarkProgress>
    {
        public void Report(BenchmarkProgress value)
        {
            if (value.Training is { } t)
            {
                if (quiet) return;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{value.System} seed {value.Seed}] epoch {t.Epoch}/{t.MaxEpochs} loss {t.Loss:F4} validation {t.ValidationScore:F4} (best {t.BestValidationScore:F4} at epoch {t.BestEpoch}) {t.Elapsed.TotalSeconds:F0}s"));
                return;
            }
            output.WriteLine($"[{value.System} seed {value.Seed}] {value.Message}");
        }
    }

    /// <summary>
    /// A seeded sample of <paramref name="count"/> users with their whole histories and the whole catalogue, named as a
    /// sample so that no report passes it off as the full dataset.
    /// </summary>
    private static SrDataset SampleUsers(SrDataset dataset, int count)
    {
        var random = new Random(42);
        var chosen = Enumerable.Range(0, dataset.Users.Count).OrderBy(_ => random.Next()).Take(count).Order().ToArray();
        var users = chosen.Select((u, i) => new User(i, dataset.Users[u].Key)).ToArray();
        var histories = chosen.Select((u, i) => (IReadOnlyList<SrEvent>)dataset.Histories[u].Select(e => e with { UserId = i }).ToArray()).ToArray();
        var name = string.Create(CultureInfo.InvariantCulture, $"{dataset.Name} (sample of {count:N0} of {dataset.Users.Count:N0} users, seed 42)");
        return new SrDataset(name, dataset.Catalog, users, histories, dataset.Warnings);
    }
}
