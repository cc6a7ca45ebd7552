using System.Diagnostics;
using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// Runs the comparison: one leave-one-out split shared by every system; per seed, each system is created fresh, trained
/// (validation only for model selection), and its test cases ranked under every requested protocol it supports.
/// </summary>
public sealed class BenchmarkRunner
{
    /// <summary>Creates a runner.</summary>
    /// <param name="options">Protocols, seeds, device, ranking and split options; defaults when null.</param>
    public BenchmarkRunner(BenchmarkOptions? options = null) => Options = options ?? new BenchmarkOptions();

    /// <summary>The options.</summary>
    public BenchmarkOptions Options { get; }

    /// <summary>Evaluates <paramref name="systems"/> on <paramref name="data"/>.</summary>
    /// <param name="data">The prepared dataset (see <see cref="BenchmarkDataset.Prepare"/>).</param>
    /// <param name="systems">The systems, in report order (at least one).</param>
    /// <param name="commandLine">The command line to record in the report, if any.</param>
    /// <param name="progress">Receives a message per stage and per training epoch.</param>
    /// <param name="cancellationToken">Cancels between epochs and batches.</param>
    /// <param name="afterEachRun">Called after every (system, seed) run but the last with the report so far (marked partial in
    /// its notes), e.g. to save it, so that a long comparison that is stopped keeps the runs it finished.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">The dataset has no evaluable user, or two systems share a name.</exception>
    public BenchmarkReport Run(BenchmarkDataset data, IReadOnlyList<SystemDefinition> systems, string? commandLine = null,
                               IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default,
                               Action<BenchmarkReport>? afterEachRun = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(systems);
        if (systems.Count == 0) throw new ArgumentException("Give at least one system to evaluate.", nameof(systems));
        var device = TorchRuntime.Resolve(Options.Device);
        var split = LeaveOneOutSplit.Create(data.Dataset, Options.Split);
        if (split.Test.Count == 0)
            throw new InvalidOperationException(
                $"{data.Dataset.Name}: no user has {LeaveOneOutSplit.MinEventsForEvaluation} or more events, so there is nothing to evaluate.");

        CheckSampledCandidatesSuffice(split);

        var results = new List<SystemResult>();
        var notes = new List<string>();
        var withoutQuery = split.Test.Count(c => !c.HasQuery);
        if (withoutQuery > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{withoutQuery} test case(s) have a target item without any words, so no query: they are evaluated in recommendation only."));
        foreach (var group in Options.Published.Where(p => !SameDataset(p, data)).GroupBy(p => p.Dataset))
            notes.Add($"{group.Count()} published row(s) for {group.Key} are not shown: this report is on {data.Dataset.Name}.");
        var totalRuns = systems.Count * Options.Seeds.Count;
        var finishedRuns = 0;
        foreach (var definition in systems)
        {
            var runs = new List<SystemRun>();
            var componentRuns = new List<(string Name, List<SystemRun> Runs)>();
            string? name = null;
            IReadOnlyList<TaskKind> tasks = [];
            foreach (var seed in Options.Seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var system = definition.Create();
                name ??= system.Name;
                if (results.Any(r => r.Name == system.Name))
                    throw new InvalidOperationException($"Two systems are named \"{system.Name}\"; names must be unique in a report.");
                var served = ProtocolEvaluator.SupportedTasks(system);
                if (served.Count == 0) throw new InvalidOperationException($"{system.Name} serves no task.");
                tasks = Options.Tasks is { } requested ? served.Where(requested.Contains).ToArray() : served;
                if (tasks.Count == 0)
                {
                    notes.Add(
                        $"{system.Name} is left out: it serves {string.Join(" and ", served)}, and only {string.Join(" and ", Options.Tasks!)} was asked for.");
                    break;
                }
                runs.Add(RunOnce(system, split, device, seed, tasks, progress, cancellationToken));
                if (system is IComponentSystems composite) RunComponents(composite, system.Name, tasks, runs[^1], componentRuns);
                foreach (var protocol in Options.Protocols)
                    if (ProtocolEvaluator.MethodFor(system, protocol) is null)
                        notes.Add($"{system.Name} cannot be evaluated under {EvaluationReport.DescribeProtocol(protocol)}.");
                if (++finishedRuns < totalRuns && afterEachRun is not null)
                {
                    var partialNote = string.Create(CultureInfo.InvariantCulture,
                        $"Partial report: {finishedRuns} of {totalRuns} runs finished (the comparison was still running when this was written).");
                    afterEachRun(
                        Report([.. results, new SystemResult(name!, tasks, runs.ToArray()), .. Components(tasks, componentRuns)], [.. notes, partialNote]));
                }
            }
            if (runs.Count > 0) results.AddRange([new SystemResult(name!, tasks, runs), .. Components(tasks, componentRuns)]);
        }

        return Report(results, notes);

        // Each component of a trained system is ranked under the same seed, as a row of its own (see IComponentSystems).
        void RunComponents(IComponentSystems composite, string parentName, IReadOnlyList<TaskKind> parentTasks, SystemRun parent,
                           List<(string Name, List<SystemRun> Runs)> into)
        {
            foreach (var component in composite.Components())
            {
                using (component)
                {
                    if (component.Name == parentName || results.Any(r => r.Name == component.Name))
                        throw new InvalidOperationException($"Two systems are named \"{component.Name}\"; names must be unique in a report.");
                    var run = RunOnce(component, split, device, parent.Seed, parentTasks, progress, cancellationToken);
                    // Its training is the parent's: the same trained weights, nothing trained again.
                    run = run with
                    {
                        Training = parent.Training with { Note = $"a part of {parentName}, ranked from the same trained weights; " + parent.Training.Note },
                        TrainingSeconds = 0,
                    };
                    var slot = into.FindIndex(c => c.Name == component.Name);
                    if (slot < 0) into.Add((component.Name, [run]));
                    else into[slot].Runs.Add(run);
                }
            }
        }

        static IEnumerable<SystemResult> Components(IReadOnlyList<TaskKind> tasks, List<(string Name, List<SystemRun> Runs)> componentRuns) =>
            componentRuns.Select(c => new SystemResult(c.Name, tasks, c.Runs.ToArray()));

        BenchmarkReport Report(IReadOnlyList<SystemResult> systemResults, List<string> reportNotes)
        {
            if (data.Dataset.Warnings.Count > 0)
                reportNotes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The loader reported {data.Dataset.Warnings.Count} warning(s); the first: {data.Dataset.Warnings[0]}"));
            return NewReport(data, split, device, systemResults, commandLine, reportNotes);
        }
    }

    private BenchmarkReport NewReport(BenchmarkDataset data, DatasetSplit split, TorchSharp.torch.Device device, IReadOnlyList<SystemResult> results,
                                      string? commandLine, IReadOnlyList<string> notes)
    {
        var catalogSize = data.Dataset.Catalog.Count;
        return new BenchmarkReport
        {
            Dataset = data.Dataset.Name,
            Statistics = data.Dataset.ComputeStatistics(),
            Queries = data.Queries,
            Split = string.Create(CultureInfo.InvariantCulture,
                $"chronological leave-one-out per user (last event = test, second-to-last = validation, the rest = training; users with fewer than " +
                $"{LeaveOneOutSplit.MinEventsForEvaluation} events only train); histories capped at the {split.Options.MaxHistory} most recent events"),
            ValidationCases = split.Validation.Count,
            TestCases = split.Test.Count,
            Device = device.type.ToString().ToLowerInvariant(),
            Seeds = Options.Seeds,
            Cutoffs = Options.Ranking.Cutoffs,
            Protocols = Options.Protocols.Select(p => new KeyValuePair<EvaluationProtocol, string>(p, Options.Ranking.Describe(p, catalogSize))).ToArray(),
            Systems = results,
            CommandLine = commandLine,
            Notes = notes.Distinct().ToArray(),
            Published = Options.Published.Where(p => SameDataset(p, data)).ToArray(),
        };
    }

    private static bool SameDataset(PublishedResult result, BenchmarkDataset data) =>
        string.Equals(result.Dataset, data.Dataset.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails before any training when some test case cannot get the sampled protocol's negatives.</summary>
    private void CheckSampledCandidatesSuffice(DatasetSplit split)
    {
        if (!Options.Protocols.Contains(EvaluationProtocol.Sampled)) return;
        var catalogSize = split.Dataset.Catalog.Count;
        var negatives = Options.Ranking.Sampled.NegativeCount;
        // The test case's seen items include the validation case's: it is the most constrained one of a user.
        var worst = split.Test.Select(c =>
        {
            var seen = split.GetItemsSeenBefore(c);
            return seen.Count - (seen.Contains(c.TargetItemId) ? 1 : 0);
        }).Max();
        var admissible = catalogSize - 1 - (Options.Ranking.Sampled.ExcludeHistory ? worst : 0);
        if (admissible < negatives)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{split.Dataset.Name}: the sampled protocol draws {negatives} negatives per case, but with {catalogSize} items and up to {worst} items seen " +
                $"before a target only {admissible} are left; lower --negatives or use --protocol full."));
    }

    private SystemRun RunOnce(IEvaluatedSystem system, DatasetSplit split, TorchSharp.torch.Device device, long seed,
                              IReadOnlyList<TaskKind> tasks, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        var name = system.Name;
        progress?.Report(new BenchmarkProgress(name, seed, "training"));
        TorchRuntime.Seed(seed);
        var trainingProgress = progress is null
            ? null
            : new SynchronousProgress<SystemTrainingProgress>(p => progress.Report(new BenchmarkProgress(name, seed, "epoch", p)));
        var context = new EvaluationContext(device, seed, Options.Ranking, trainingProgress, cancellationToken);
        var clock = Stopwatch.StartNew();
        var training = system.Train(split, context);
        var trainingSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report(new BenchmarkProgress(name, seed, string.Create(CultureInfo.InvariantCulture, $"trained in {trainingSeconds:F1} s")));

        clock.Restart();
        var reports = new List<EvaluationReport>();
        foreach (var protocol in Options.Protocols)
        {
            var method = ProtocolEvaluator.MethodFor(system, protocol);
            if (method is null) continue;
            var evaluation = ProtocolEvaluator.Evaluate(system, split, split.Test, protocol, Options.Ranking, tasks, cancellationToken);
            reports.Add(new EvaluationReport
            {
                Dataset = split.Dataset.Name,
                Protocol = protocol,
                SystemName = name,
                ProtocolDetails = evaluation.Description,
                Tasks = evaluation.Tasks,
                Notes = [$"ranked from {Describe(method.Value)}"],
                Extra = new Dictionary<string, string>
                {
                    ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
                    [RankingMethodKey] = method.Value.ToString(),
                    ["ranking seconds"] = evaluation.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                },
            });
            var ndcg = string.Join(", ",
                evaluation.Tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Task} NDCG@10 {t.Values.GetValueOrDefault("NDCG@10"):F4}")));
            progress?.Report(new BenchmarkProgress(name, seed, $"{EvaluationReport.DescribeProtocol(protocol)}: {ndcg}"));
        }
        return new SystemRun(seed, training, trainingSeconds, clock.Elapsed.TotalSeconds, reports);
    }

    /// <summary>The key of <see cref="EvaluationReport.Extra"/> under which each test report records its <see cref="RankingMethod"/>.</summary>
    public const string RankingMethodKey = "ranking method";

    private static string Describe(RankingMethod method) => method switch
    {
        RankingMethod.CatalogScores => "a score for every catalogue item",
        RankingMethod.GeneratedList => "generated top-K lists (a target not generated counts as not found)",
        RankingMethod.CandidateScores => "scores of the sampled candidates",
        RankingMethod.CatalogScoresAtCandidates => "catalogue scores read at the sampled candidates",
        _ => method.ToString(),
    };
}
