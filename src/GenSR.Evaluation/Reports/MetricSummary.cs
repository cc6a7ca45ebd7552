using System.Globalization;

namespace GenSR.Evaluation;

/// <summary>A metric over the runs (seeds) of one system: mean and sample standard deviation.</summary>
/// <param name="Mean">Mean over runs.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1 in the denominator); 0 for a single run.</param>
/// <param name="Runs">Number of runs.</param>
public sealed record MetricSummary(double Mean, double StandardDeviation, int Runs)
{
    /// <summary>Summarises values of several runs.</summary>
    /// <param name="values">One value per run (at least one).</param>
    /// <exception cref="ArgumentException">No values.</exception>
    public static MetricSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("A summary needs at least one value.", nameof(values));
        var mean = values.Average();
        var variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new MetricSummary(mean, Math.Sqrt(variance), values.Count);
    }

    /// <summary><c>0.1234</c> for one run, <c>0.1234 ± 0.0056</c> for several (4 decimals).</summary>
    public override string ToString() => Runs > 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {StandardDeviation:F4}")
        : Mean.ToString("F4", CultureInfo.InvariantCulture);
}
