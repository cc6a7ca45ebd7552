using GenSR.Core.Data;
using GenSR.Core.Data.Splits;
using GenSR.Core.Metrics;

namespace GenSR.Quickstart;

/// <summary>The popularity baseline: every user gets the items with the most training interactions (the query is ignored).</summary>
internal static class PopularityBaseline
{
    public static float[] Counts(DatasetSplit split)
    {
        var counts = new float[split.Dataset.Catalog.Count];
        foreach (var i in split.TrainingInteractions) counts[i.ItemId]++;
        return counts;
    }

    /// <summary>Full ranking: the same score vector for every case and task; ties are ranked pessimistically.</summary>
    public static EvaluationReport FullRanking(DatasetSplit split, IReadOnlyList<EvaluationCase> cases, IReadOnlyList<TaskKind> tasks)
    {
        var counts = Counts(split);
        var acc = new MetricsAccumulator();
        var ranks = new int[cases.Count];
        for (var c = 0; c < cases.Count; c++) TargetRanks.FromScores(counts, counts.Length, [cases[c].TargetItemId], ranks.AsSpan(c, 1));
        foreach (var task in tasks) acc.Add(task, ranks);
        return new EvaluationReport
        {
            Dataset = split.Dataset.Name,
            Protocol = EvaluationProtocol.FullRanking,
            SystemName = "Popularity",
            ProtocolDetails = $"training interaction counts over all {counts.Length} items; history items are not excluded",
            Tasks = acc.ComputeAll(),
        };
    }

    /// <summary>Sampled protocol with the same candidates GenSR is scored on.</summary>
    public static EvaluationReport Sampled(DatasetSplit split, IReadOnlyList<EvaluationCase> cases, IReadOnlyList<TaskKind> tasks, SampledCandidatesOptions sampling)
    {
        var counts = Counts(split);
        var sampler = new SampledCandidates(counts.Length, sampling);
        var width = sampler.CandidatesPerCase;
        var scores = new float[cases.Count * width];
        for (var c = 0; c < cases.Count; c++)
        {
            var candidates = sampler.Draw(cases[c].UserId, cases[c].TargetItemId, cases[c].History.Select(e => e.ItemId).ToArray());
            for (var j = 0; j < width; j++) scores[c * width + j] = counts[candidates[j]];
        }

        var acc = new MetricsAccumulator();
        var targets = new int[cases.Count];
        foreach (var task in tasks) acc.AddScores(task, scores, width, targets);
        return new EvaluationReport
        {
            Dataset = split.Dataset.Name,
            Protocol = EvaluationProtocol.Sampled,
            SystemName = "Popularity",
            ProtocolDetails = sampler.Describe(),
            Tasks = acc.ComputeAll(),
        };
    }
}
