using FsCheck;
using FsCheck.Fluent;

namespace GenSR.Decoding.Tests.Support;

/// <summary>FsCheck generators of <see cref="SearchScenario"/>s.</summary>
public static class Scenarios
{
    /// <summary>Random scenarios; <paramref name="beams"/> picks the beam width from the catalogue size (null: 1 to 8).</summary>
    public static Arbitrary<SearchScenario> Arbitrary(Func<int, int>? beams = null, bool allowVariable = true, BeamScoring? scoring = null) =>
        (from levels in Gen.Choose(1, 3)
         from sizes in Gen.ArrayOf(Gen.Choose(2, 5), levels)
         from items in Gen.Choose(1, 40)
         from variable in allowVariable ? Gen.Elements(false, true) : Gen.Constant(false)
         from eos in variable ? Gen.Constant(true) : Gen.Elements(false, true)
         from queries in Gen.Choose(1, 3)
         from width in Gen.Choose(1, 8)
         from score in scoring is { } s ? Gen.Constant(s) : Gen.Elements(BeamScoring.SumLogProb, BeamScoring.LengthNormalized)
         from seed in Gen.Choose(0, 100_000)
         select Build(sizes, items, variable, eos, queries, width, score, seed, beams))
        .ToArbitrary();

    private static SearchScenario Build(int[] sizes, int items, bool variable, bool eos, int queries, int width, BeamScoring scoring, int seed, Func<int, int>? beams)
    {
        var scenario = new SearchScenario(sizes, items, variable, eos, queries, width, scoring, seed);
        return beams is null ? scenario : scenario with { Beams = beams(scenario.Table.ItemCount) };
    }
}
