using System.Diagnostics;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>
/// Ranks a system's cases under a protocol and turns the target ranks into metrics. The one code path for test
/// evaluation and for validation during training, so model selection sees exactly what the report measures.
/// </summary>
/// <remarks>
/// <para><b>Full ranking.</b> From catalogue scores: rank among all items with the pessimistic tie rule of
/// <see cref="TargetRanks"/> (ties count against the target). From generated lists: the target's 1-based position after
/// excluded items and repeats are dropped and the list is cut to the largest cutoff; absent means not found.</para>
/// <para><b>Sampled.</b> Candidates are drawn with <see cref="SampledCandidates"/> per (user, target position, task), the
/// same for every system; the target is moved to a seeded column so a scorer cannot know where it is.</para>
/// <para>Seen items: the items the user interacted with before the target (<see cref="DatasetSplit.GetItemsSeenBefore"/>).</para>
/// </remarks>
public static class ProtocolEvaluator
{
    /// <summary>
    /// How <paramref name="system"/> is ranked under <paramref name="protocol"/>, or <c>null</c> when it cannot be.
    /// Full ranking prefers catalogue scores over generated lists; sampled ranking prefers <see cref="ICandidateScorer"/>
    /// over reading catalogue scores.
    /// </summary>
    /// <param name="system">The system.</param>
    /// <param name="protocol">The protocol.</param>
    public static RankingMethod? MethodFor(IEvaluatedSystem system, EvaluationProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(system);
        return protocol switch
        {
            EvaluationProtocol.FullRanking => system switch
            {
                ICatalogScorer { RanksByCatalogScores: true } => RankingMethod.CatalogScores,
                ITopKGenerator => RankingMethod.GeneratedList,
                ICatalogScorer => RankingMethod.CatalogScores,
                _ => null,
            },
            EvaluationProtocol.Sampled => system switch
            {
                ICandidateScorer => RankingMethod.CandidateScores,
                ICatalogScorer => RankingMethod.CatalogScoresAtCandidates,
                _ => null,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Expected FullRanking or Sampled."),
        };
    }

    /// <summary>The tasks <paramref name="system"/> serves, in enum order.</summary>
    /// <param name="system">The system.</param>
    public static IReadOnlyList<TaskKind> SupportedTasks(IEvaluatedSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Enum.GetValues<TaskKind>().Where(system.Supports).ToArray();
    }

    /// <summary>Ranks <paramref name="cases"/> in every task the system serves (or those given) and computes the metrics.</summary>
    /// <param name="system">A trained system.</param>
    /// <param name="split">The split the system was trained on and the cases belong to.</param>
    /// <param name="cases">Validation or test cases of <paramref name="split"/> (at least one).</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="options">Cutoffs, exclusion and candidate options.</param>
    /// <param name="tasks">Tasks to evaluate; <c>null</c> for every task the system serves. Each must be served.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The metrics per task.</returns>
    /// <exception cref="NotSupportedException">The system cannot be ranked under the protocol, or does not serve a requested task.</exception>
    /// <exception cref="InvalidOperationException">The system returned malformed output (NaN scores, wrong number of lists); the message
    /// names the system.</exception>
    public static ProtocolEvaluation Evaluate(
        IEvaluatedSystem system, DatasetSplit split, IReadOnlyList<EvaluationCase> cases, EvaluationProtocol protocol,
        RankingOptions options, IReadOnlyList<TaskKind>? tasks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        if (cases.Count == 0) throw new ArgumentException("There are no cases to evaluate.", nameof(cases));
        var method = MethodFor(system, protocol)
                     ?? throw new NotSupportedException($"{system.Name} cannot be evaluated under {EvaluationReport.DescribeProtocol(protocol)}: " +
                                                        $"it implements none of the interfaces that protocol needs.");
        tasks ??= SupportedTasks(system);
        foreach (var task in tasks)
            if (!system.Supports(task)) throw new NotSupportedException($"{system.Name} does not serve the {task} task.");

        var clock = Stopwatch.StartNew();
        var accumulator = new MetricsAccumulator(options.Cutoffs);
        var catalogSize = split.Dataset.Catalog.Count;
        var sampler = new SampledCandidates(catalogSize, options.Sampled);
        var evaluated = new List<TaskKind>();
        foreach (var task in tasks)
        {
            // A case whose target item has no words has no query: it is a recommendation case only.
            var taskCases = task == TaskKind.Search && cases.Any(c => !c.HasQuery) ? cases.Where(c => c.HasQuery).ToArray() : cases;
            if (taskCases.Count == 0) continue;
            evaluated.Add(task);
            for (var start = 0; start < taskCases.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Slice(taskCases, start, Math.Min(options.BatchSize, taskCases.Count - start));
                var ranks = method switch
                {
                    RankingMethod.CatalogScores => RankByCatalogScores((ICatalogScorer)system, split, task, batch, options),
                    RankingMethod.GeneratedList => RankByGeneratedLists((ITopKGenerator)system, split, task, batch, options),
                    _ => RankSampled(system, method, split, task, batch, sampler),
                };
                accumulator.Add(task, ranks);
            }
        }
        var metrics = evaluated.Select(accumulator.Compute).ToArray();
        return new ProtocolEvaluation(protocol, method, metrics, options.Describe(protocol, catalogSize), clock.Elapsed);
    }

    private static int[] RankByCatalogScores(ICatalogScorer system, DatasetSplit split, TaskKind task, IReadOnlyList<EvaluationCase> batch,
        RankingOptions options)
    {
        var catalogSize = split.Dataset.Catalog.Count;
        var scores = new float[batch.Count * catalogSize];
        system.ScoreCatalog(task, batch, scores);
        var targets = batch.Select(c => c.TargetItemId).ToArray();
        IReadOnlyList<IReadOnlyList<int>>? excluded = options.ExcludeSeenItemsInFullRanking
            ? batch.Select(c => (IReadOnlyList<int>)split.GetItemsSeenBefore(c).ToArray()).ToArray()
            : null;
        var ranks = new int[batch.Count];
        try
        {
            TargetRanks.FromScores(scores, catalogSize, targets, ranks, excluded);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{system.Name} returned unusable {task} scores: {e.Message}", e);
        }
        return ranks;
    }

    private static int[] RankByGeneratedLists(ITopKGenerator system, DatasetSplit split, TaskKind task, IReadOnlyList<EvaluationCase> batch,
        RankingOptions options)
    {
        var excluded = options.ExcludeSeenItemsInFullRanking ? batch.Select(split.GetItemsSeenBefore).ToArray() : null;
        var request = new GenerationRequest(options.MaxCutoff, excluded);
        var lists = system.Generate(task, batch, request)
                    ?? throw new InvalidOperationException($"{system.Name} returned no generated lists for {task}.");
        if (lists.Count != batch.Count)
            throw new InvalidOperationException($"{system.Name} returned {lists.Count} generated {task} lists for {batch.Count} cases; expected one per case.");
        var ranks = new int[batch.Count];
        for (var row = 0; row < batch.Count; row++)
        {
            var list = lists[row] ?? throw new InvalidOperationException($"{system.Name} returned a null {task} list for case {row} of the batch.");
            ranks[row] = RankInGeneratedList(list, batch[row].TargetItemId, excluded?[row], request.ListLength);
        }
        return ranks;
    }

    /// <summary>
    /// The 1-based position of <paramref name="target"/> in <paramref name="list"/> after excluded items (other than the
    /// target) and repeated ids are dropped and the list is cut to <paramref name="listLength"/>; 0 when it is not there.
    /// </summary>
    /// <param name="list">Generated item ids, best first.</param>
    /// <param name="target">The held-out item.</param>
    /// <param name="excluded">Items the ranking ignores, or <c>null</c>.</param>
    /// <param name="listLength">How many kept items count.</param>
    public static int RankInGeneratedList(IReadOnlyList<int> list, int target, IReadOnlySet<int>? excluded, int listLength)
    {
        ArgumentNullException.ThrowIfNull(list);
        var kept = new HashSet<int>();
        foreach (var item in list)
        {
            if (kept.Count == listLength) break;
            if (item != target && excluded is not null && excluded.Contains(item)) continue;
            if (!kept.Add(item)) continue;
            if (item == target) return kept.Count;
        }
        return 0;
    }

    private static int[] RankSampled(IEvaluatedSystem system, RankingMethod method, DatasetSplit split, TaskKind task, IReadOnlyList<EvaluationCase> batch,
        SampledCandidates sampler)
    {
        var width = sampler.CandidatesPerCase;
        var candidates = new int[batch.Count * width];
        var targetColumns = new int[batch.Count];
        for (var row = 0; row < batch.Count; row++)
        {
            var c = batch[row];
            var key = CandidateKey(c, task);
            var rowSpan = candidates.AsSpan(row * width, width);
            sampler.Draw(key, c.TargetItemId, split.GetItemsSeenBefore(c).ToArray(), rowSpan);
            // Move the target (drawn into column 0) to a seeded column, so a scorer cannot rely on where it sits.
            var column = (int)((ulong)Mix(sampler.Options.Seed, key) % (ulong)width);
            (rowSpan[0], rowSpan[column]) = (rowSpan[column], rowSpan[0]);
            targetColumns[row] = column;
        }

        var scores = new float[candidates.Length];
        if (method == RankingMethod.CandidateScores)
        {
            ((ICandidateScorer)system).ScoreCandidates(task, batch, candidates, width, scores);
        }
        else
        {
            var catalogSize = split.Dataset.Catalog.Count;
            var all = new float[batch.Count * catalogSize];
            ((ICatalogScorer)system).ScoreCatalog(task, batch, all);
            for (var i = 0; i < candidates.Length; i++)
                scores[i] = all[(i / width) * catalogSize + candidates[i]];
        }
        var ranks = new int[batch.Count];
        try
        {
            TargetRanks.FromScores(scores, width, targetColumns, ranks);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{system.Name} returned unusable {task} candidate scores: {e.Message}", e);
        }
        return ranks;
    }

    /// <summary>The candidate-draw key of a case: user, target position and task, so validation and test draw independently.</summary>
    internal static long CandidateKey(EvaluationCase evaluationCase, TaskKind task) =>
        ((long)evaluationCase.UserId << 32) | ((long)evaluationCase.TargetIndex << 1) | (long)task;

    private static long Mix(long seed, long key)
    {
        // SplitMix64 finaliser over seed and key: a well-spread column choice.
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)key);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)(z ^ (z >> 31));
    }

    private static IReadOnlyList<EvaluationCase> Slice(IReadOnlyList<EvaluationCase> cases, int start, int count)
    {
        var slice = new EvaluationCase[count];
        for (var i = 0; i < count; i++) slice[i] = cases[start + i];
        return slice;
    }
}
