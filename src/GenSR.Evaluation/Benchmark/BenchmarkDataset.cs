using System.Globalization;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>A dataset ready for the harness: search events present (synthesised when the data has none) and where they came from.</summary>
/// <param name="Dataset">The dataset to split.</param>
/// <param name="Queries">Where its queries come from, in words.</param>
public sealed record BenchmarkDataset(SrDataset Dataset, string Queries)
{
    /// <summary>
    /// Keeps a dataset's own search events, or, when it has none, synthesises them with the category-path protocol of
    /// product search (<see cref="CategoryQuerySynthesizer"/>).
    /// </summary>
    /// <param name="dataset">The loaded dataset.</param>
    /// <param name="synthesis">The synthesis options (fraction and seed).</param>
    public static BenchmarkDataset Prepare(SrDataset dataset, QuerySynthesisOptions synthesis)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(synthesis);
        var searchEvents = dataset.ComputeStatistics().SearchEvents;
        if (searchEvents > 0)
            return new BenchmarkDataset(dataset, string.Create(CultureInfo.InvariantCulture,
                $"from the data ({searchEvents:N0} search events with their own queries); a test target that is not a search event gets the synthesised " +
                $"category-path query of its item"));
        if (synthesis.SearchFraction == 0)
            return new BenchmarkDataset(dataset,
                "none: no search events (search fraction 0); a search evaluation would give each test target its item's synthesised category-path query");
        var synthesised = new CategoryQuerySynthesizer(synthesis).Apply(dataset);
        return new BenchmarkDataset(synthesised, string.Create(CultureInfo.InvariantCulture,
            $"synthesised: a seeded {synthesis.SearchFraction:0.##} of each user's events become search events (seed {synthesis.Seed}) whose query is the " +
            $"item's category-path words (lower-cased, de-duplicated, stop words removed), the protocol of HEM, JSR and UniSAR; every test target gets its " +
            $"item's query in the search task"));
    }
}
