using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// Evaluates a GenSR model on evaluation cases in both tasks: generative retrieval over the full catalogue
/// (trie-constrained beam search; an item not among the generated top-20 counts as a miss), and under the sampled
/// protocol the generative sequence log-probability and the pointwise P(Yes) of 1 positive + sampled negatives.
/// Every report names its protocol and dataset.
/// </summary>
public static class GenSREvaluator
{
    /// <summary>System name of generative mode in reports.</summary>
    public const string GenerativeName = "GenSR (generative)";

    /// <summary>System name of pointwise mode in reports.</summary>
    public const string PointwiseName = "GenSR (pointwise)";

    /// <summary>The request that asks <paramref name="task"/> for an evaluation case (search uses the case's query).</summary>
    public static GenSRRequest ToRequest(EvaluationCase evaluationCase, TaskKind task, int? candidate = null)
    {
        ArgumentNullException.ThrowIfNull(evaluationCase);
        return new GenSRRequest(evaluationCase.History, task, task == TaskKind.Search ? evaluationCase.Query : null, candidate);
    }

    /// <summary>Full-ranking ranks of the target of each case for <paramref name="task"/> (ranks beyond the generated list are misses).</summary>
    /// <param name="inference">The model.</param>
    /// <param name="cases">The cases.</param>
    /// <param name="task">The task asked.</param>
    /// <param name="beams">Beams, and the length of the generated list.</param>
    /// <param name="batchSize">Cases per beam search.</param>
    /// <param name="progress">Progress; may be null.</param>
    /// <param name="excludeSeen">Drop items the user interacted with before the target from the generated list before
    /// ranking (the full-ranking protocol of the evaluation harness); the target itself is never dropped.</param>
    /// <param name="split">The split the cases belong to: its full event lists define the seen items. Null: the items of
    /// each case's (capped) history.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public static int[] RankFull(GenSRInference inference, IReadOnlyList<EvaluationCase> cases, TaskKind task, int beams, int batchSize,
                                 IProgress<GenSREvaluationProgress>? progress = null, bool excludeSeen = false, DatasetSplit? split = null,
                                 CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(cases);
        var ranks = new int[cases.Count];
        var stage = $"full ranking, {task.ToString().ToLowerInvariant()}";
        for (var start = 0; start < cases.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = cases.Skip(start).Take(batchSize).ToArray();
            var generated = inference.Generate(chunk.Select(c => ToRequest(c, task)).ToArray(), beams, beams, cancellationToken);
            var lists = generated.Select((g, i) =>
            {
                var items = g.Select(s => s.Item);
                if (!excludeSeen) return (IReadOnlyList<int>)items.ToArray();
                var c = chunk[i];
                IReadOnlySet<int> seen = split is null ? c.History.Select(e => e.ItemId).ToHashSet() : split.GetItemsSeenBefore(c);
                return items.Where(item => item == c.TargetItemId || !seen.Contains(item)).ToArray();
            }).ToArray();
            var chunkRanks = TargetRanks.FromGeneratedLists(lists, chunk.Select(c => c.TargetItemId).ToArray());
            chunkRanks.CopyTo(ranks, start);
            progress?.Report(new GenSREvaluationProgress(stage, Math.Min(cases.Count, start + batchSize), cases.Count));
        }

        return ranks;
    }

    /// <summary>Sampled-protocol ranks (1 positive + negatives) of each case for <paramref name="task"/>, in generative or pointwise mode.</summary>
    public static int[] RankSampled(GenSRInference inference, IReadOnlyList<EvaluationCase> cases, TaskKind task, bool pointwise, SampledCandidates sampler,
                                    int batchSize, IProgress<GenSREvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(sampler);
        var width = sampler.CandidatesPerCase;
        var ranks = new int[cases.Count];
        var stage = $"sampled, {(pointwise ? "pointwise" : "generative")}, {task.ToString().ToLowerInvariant()}";
        // Pointwise prompts contain the candidate, so one case costs `width` encoder passes; keep the row count per call bounded.
        var casesPerCall = pointwise ? Math.Max(1, batchSize * 4 / width) : Math.Max(1, batchSize / 2);
        var targetColumns = new int[casesPerCall];
        Array.Fill(targetColumns, SampledCandidates.TargetColumn);
        for (var start = 0; start < cases.Count; start += casesPerCall)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = cases.Skip(start).Take(casesPerCall).ToArray();
            var candidates = chunk.Select(c => sampler.Draw(c.UserId, c.TargetItemId, c.History.Select(e => e.ItemId).ToArray())).ToArray();
            var scores = new float[chunk.Length * width];
            if (pointwise)
            {
                var requests = chunk.SelectMany((c, i) => candidates[i].Select(item => ToRequest(c, task, item))).ToArray();
                inference.ScorePointwise(requests).CopyTo(scores, 0);
            }
            else
            {
                var rows = inference.ScoreGenerative(chunk.Select(c => ToRequest(c, task)).ToArray(), candidates);
                for (var i = 0; i < rows.Length; i++) rows[i].CopyTo(scores, i * width);
            }

            TargetRanks.FromScores(scores, width, targetColumns.AsSpan(0, chunk.Length), ranks.AsSpan(start, chunk.Length));
            progress?.Report(new GenSREvaluationProgress(stage, Math.Min(cases.Count, start + casesPerCall), cases.Count));
        }

        return ranks;
    }

    /// <summary>Runs the evaluations <paramref name="options"/> asks for and returns one report per protocol and mode.</summary>
    public static IReadOnlyList<EvaluationReport> Evaluate(GenSRInference inference, IReadOnlyList<EvaluationCase> cases, string dataset,
                                                          GenSREvaluationOptions? options = null, IProgress<GenSREvaluationProgress>? progress = null,
                                                          CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(cases);
        options ??= new GenSREvaluationOptions();
        var selected = options.MaxCases is int max && max < cases.Count ? cases.Take(max).ToArray() : cases;
        var notes = new List<string>();
        if (!ReferenceEquals(selected, cases)) notes.Add($"Evaluated on the first {selected.Count} of {cases.Count} cases.");
        var reports = new List<EvaluationReport>();
        if (options.FullRanking)
        {
            var acc = new MetricsAccumulator();
            foreach (var task in options.Tasks)
                acc.Add(task, RankFull(inference, selected, task, options.Beams, options.BatchSize, progress, cancellationToken: cancellationToken));
            reports.Add(new EvaluationReport
            {
                Dataset = dataset,
                Protocol = EvaluationProtocol.FullRanking,
                SystemName = GenerativeName,
                ProtocolDetails = $"trie-constrained beam search, {options.Beams} beams, over all {inference.Builder.Config.ItemCount} items; history items " +
                    $"are not excluded; a target outside the generated top {options.Beams} is a miss",
                Tasks = acc.ComputeAll(),
                Notes = notes,
            });
        }

        if (options.Sampled)
        {
            var sampler = new SampledCandidates(inference.Builder.Config.ItemCount, options.Sampling);
            foreach (var pointwise in options.Pointwise ? new[] { false, true } : [false])
            {
                var acc = new MetricsAccumulator();
                var modeCases = pointwise && options.PointwiseMaxCases is int pmax && pmax < selected.Count ? selected.Take(pmax).ToArray() : selected;
                var modeNotes = ReferenceEquals(modeCases, selected)
                    ? notes
                    : [.. notes, $"Pointwise mode evaluated on the first {modeCases.Count} of these cases (one encoder pass per candidate)."];
                foreach (var task in options.Tasks)
                    acc.Add(task, RankSampled(inference, modeCases, task, pointwise, sampler, options.BatchSize, progress, cancellationToken));
                reports.Add(new EvaluationReport
                {
                    Dataset = dataset,
                    Protocol = EvaluationProtocol.Sampled,
                    SystemName = pointwise ? PointwiseName : GenerativeName,
                    ProtocolDetails = (pointwise
                        ? "score = P(Yes | prompt with the candidate); "
                        : "score = log-probability of the candidate's identifier; ") + sampler.Describe(),
                    Tasks = acc.ComputeAll(),
                    Notes = modeNotes,
                });
            }
        }

        return reports;
    }
}
