namespace GenSR.Representation;

/// <summary>Usage and error of one codebook level over the quantised items.</summary>
/// <param name="Level">Level index (0 = coarsest).</param>
/// <param name="CodebookSize">Codes in the level's codebook.</param>
/// <param name="UsedCodes">Codes assigned to at least one item.</param>
/// <param name="Perplexity">exp(entropy) of the code distribution: the effective number of codes used, in [1, <paramref name="CodebookSize"/>].</param>
/// <param name="ResidualMse">Mean squared residual per element after this level, in the quantised space.</param>
public sealed record CodebookLevelStatistics(int Level, int CodebookSize, int UsedCodes, double Perplexity, double ResidualMse)
{
    /// <summary>Codes assigned to no item.</summary>
    public int DeadCodes => CodebookSize - UsedCodes;

    /// <summary>Fraction of codes in use, in [0, 1].</summary>
    public double Utilisation => CodebookSize == 0 ? 0 : (double)UsedCodes / CodebookSize;

    /// <summary>Perplexity of code counts <paramref name="counts"/>.</summary>
    internal static double PerplexityOf(IReadOnlyList<long> counts)
    {
        var total = counts.Sum();
        if (total == 0) return 0;
        var entropy = 0.0;
        foreach (var c in counts)
        {
            if (c == 0) continue;
            var p = (double)c / total;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }
}
