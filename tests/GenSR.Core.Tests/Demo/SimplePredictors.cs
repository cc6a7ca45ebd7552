
namespace GenSR.Core.Tests.Demo;

/// <summary>
/// Count-based baselines used to show that the demo data has learnable structure: popularity, item-to-item
/// transitions, query-word overlap, and query-word overlap plus brand affinity from the history.
/// </summary>
internal sealed class SimplePredictors
{
    private readonly DatasetSplit _split;
    private readonly double[] _popularity;
    private readonly Dictionary<int, Dictionary<int, int>> _transitions = [];
    private readonly HashSet<string>[] _itemWords;

    public SimplePredictors(DatasetSplit split)
    {
        _split = split;
        var catalog = split.Dataset.Catalog;
        _popularity = new double[catalog.Count];
        foreach (var interaction in split.TrainingInteractions)
            _popularity[interaction.ItemId]++;
        var max = _popularity.Max();
        for (var i = 0; i < _popularity.Length; i++)
            _popularity[i] /= max;
        foreach (var example in split.TrainingExamples)
        {
            var from = example.History[^1].ItemId;
            if (!_transitions.TryGetValue(from, out var next))
                _transitions[from] = next = [];
            next[example.Target.ItemId] = next.GetValueOrDefault(example.Target.ItemId) + 1;
        }
        _itemWords = catalog.Select(item => Words(item.Text)).ToArray();
    }

    public static HashSet<string> Words(string text) =>
        text.ToLowerInvariant()
            .Split([' ', ',', '-', '&', ':', '.', '>'], StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);

    public double[] Popularity(EvaluationCase _) => (double[])_popularity.Clone();

    /// <summary>Transitions from the last three history events (weights 1, 1/2, 1/4); popularity breaks ties.</summary>
    public double[] Transitions(EvaluationCase evaluationCase)
    {
        var scores = Scaled(_popularity, 1e-3);
        var weight = 1.0;
        for (var i = evaluationCase.History.Count - 1; i >= Math.Max(0, evaluationCase.History.Count - 3); i--, weight /= 2)
        {
            if (!_transitions.TryGetValue(evaluationCase.History[i].ItemId, out var next))
                continue;
            var total = next.Values.Sum();
            foreach (var (item, count) in next)
                scores[item] += weight * count / total;
        }
        return scores;
    }

    /// <summary>Words shared by the query and the item's text; popularity breaks ties.</summary>
    public double[] QueryOverlap(EvaluationCase evaluationCase)
    {
        var query = Words(evaluationCase.Query);
        var scores = Scaled(_popularity, 1e-3);
        for (var i = 0; i < scores.Length; i++)
            scores[i] += _itemWords[i].Count(query.Contains);
        return scores;
    }

    /// <summary>Query overlap plus how often the history holds the item's brand (brands belong to one department), and whether the last event's item has it.</summary>
    public double[] QueryOverlapAndBrandAffinity(EvaluationCase evaluationCase)
    {
        var scores = QueryOverlap(evaluationCase);
        var catalog = _split.Dataset.Catalog;
        var brands = evaluationCase.History.GroupBy(e => catalog[e.ItemId].Brand).ToDictionary(g => g.Key, g => g.Count());
        var lastBrand = evaluationCase.History.Count > 0 ? catalog[evaluationCase.History[^1].ItemId].Brand : null;
        for (var i = 0; i < scores.Length; i++)
            scores[i] += 0.25 * Math.Min(3, brands.GetValueOrDefault(catalog[i].Brand)) + (catalog[i].Brand == lastBrand ? 0.2 : 0);
        return scores;
    }

    /// <summary>Hit rate at k: the share of cases whose target is among the k best-scored items (ties: lower id first).</summary>
    public static double HitRate(IReadOnlyList<EvaluationCase> cases, Func<EvaluationCase, double[]> score, int k)
    {
        var hits = 0;
        foreach (var c in cases)
        {
            var scores = score(c);
            var target = c.TargetItemId;
            var better = 0;
            for (var i = 0; i < scores.Length && better < k; i++)
                if (scores[i] > scores[target] || (scores[i] == scores[target] && i < target))
                    better++;
            if (better < k)
                hits++;
        }
        return cases.Count == 0 ? 0 : (double)hits / cases.Count;
    }

    private static double[] Scaled(double[] values, double factor) => values.Select(v => v * factor).ToArray();
}
