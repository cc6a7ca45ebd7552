namespace GenSR.Core;

/// <summary>Weighted sampling for the demo generator.</summary>
internal static class DemoSampling
{
    /// <summary>An index drawn with probability proportional to its non-negative weight; −1 when all weights are zero.</summary>
    public static int Pick(IReadOnlyList<double> weights, Random random)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
            total += weights[i];
        if (total <= 0)
            return -1;
        var threshold = random.NextDouble() * total;
        var last = -1;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] <= 0)
                continue;
            last = i;
            threshold -= weights[i];
            if (threshold < 0)
                return i;
        }
        return last;
    }
}
