namespace GenSR.Representation;

/// <summary>
/// One-to-one assignment of <c>m</c> items to <c>f ≥ m</c> free codes that approximately minimises total cost:
/// entropic optimal transport (Sinkhorn–Knopp iterations in the log domain; Cuturi, NeurIPS 2013) between unit item
/// masses and unit code capacities (a zero-cost dummy source absorbs the <c>f − m</c> unused capacity), rounded to a
/// permutation greedily by transport mass. Greedy nearest-free-code assignment is the fallback.
/// </summary>
internal static class SinkhornAssignment
{
    /// <summary>Tries the Sinkhorn assignment; <c>false</c> when the marginals did not converge within <paramref name="maxIterations"/>.</summary>
    /// <param name="cost">Costs <c>[m][f]</c>, non-negative, <c>m ≤ f</c>.</param>
    /// <param name="epsilon">Entropic regularisation relative to the largest cost.</param>
    /// <param name="maxIterations">Iteration limit.</param>
    /// <param name="tolerance">Largest allowed absolute error of a row marginal (each row has mass 1).</param>
    /// <param name="assignment">Per item, the index of its code among the <c>f</c> columns.</param>
    public static bool TryAssign(double[][] cost, double epsilon, int maxIterations, double tolerance, out int[] assignment)
    {
        var m = cost.Length;
        assignment = Array.Empty<int>();
        if (m == 0) return true;
        var f = cost[0].Length;
        if (f < m) throw new ArgumentException($"Cannot assign {m} items to {f} codes one-to-one.", nameof(cost));

        var scale = cost.Max(row => row.Max());
        if (!(scale > 0))
        {
            assignment = Greedy(cost);
            return true; // all costs equal: any one-to-one assignment is optimal
        }
        var rows = f > m ? m + 1 : m; // the last row is the dummy source of mass f − m
        var logKernel = new double[rows][];
        for (var i = 0; i < rows; i++)
        {
            logKernel[i] = new double[f];
            if (i < m)
                for (var j = 0; j < f; j++) logKernel[i][j] = -cost[i][j] / (scale * epsilon);
        }
        var logRowMass = new double[rows];
        for (var i = 0; i < m; i++) logRowMass[i] = 0; // log 1
        if (rows > m) logRowMass[m] = Math.Log(f - m);
        var logU = new double[rows];
        var logV = new double[f];
        var converged = false;
        var buffer = new double[Math.Max(rows, f)];

        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < f; j++) buffer[j] = logKernel[i][j] + logV[j];
                logU[i] = logRowMass[i] - LogSumExp(buffer, f);
            }
            for (var j = 0; j < f; j++)
            {
                for (var i = 0; i < rows; i++) buffer[i] = logKernel[i][j] + logU[i];
                logV[j] = -LogSumExp(buffer, rows); // column capacity 1
            }
            // Columns are exact after their update; converged when the item rows also carry mass 1.
            var error = 0.0;
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < f; j++) buffer[j] = logKernel[i][j] + logV[j];
                error = Math.Max(error, Math.Abs(Math.Exp(logU[i] + LogSumExp(buffer, f)) - 1));
            }
            if (error < tolerance)
            {
                converged = true;
                break;
            }
        }
        if (!converged) return false;

        var entries = new List<(double Mass, int Row, int Column)>(m * f);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < f; j++)
                entries.Add((logU[i] + logKernel[i][j] + logV[j], i, j));
        entries.Sort((a, b) => b.Mass.CompareTo(a.Mass));
        assignment = Round(entries.Select(e => (e.Row, e.Column)), m, f);
        return true;
    }

    /// <summary>Greedy nearest-free-code assignment: pairs in increasing cost, each item and code used once.</summary>
    public static int[] Greedy(double[][] cost)
    {
        var m = cost.Length;
        if (m == 0) return Array.Empty<int>();
        var f = cost[0].Length;
        var entries = new List<(double Cost, int Row, int Column)>(m * f);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < f; j++)
                entries.Add((cost[i][j], i, j));
        entries.Sort((a, b) => a.Cost != b.Cost ? a.Cost.CompareTo(b.Cost) : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Column.CompareTo(b.Column));
        return Round(entries.Select(e => (e.Row, e.Column)), m, f);
    }

    private static int[] Round(IEnumerable<(int Row, int Column)> preference, int m, int f)
    {
        var assignment = new int[m];
        Array.Fill(assignment, -1);
        var used = new bool[f];
        var remaining = m;
        foreach (var (row, column) in preference)
        {
            if (assignment[row] >= 0 || used[column]) continue;
            assignment[row] = column;
            used[column] = true;
            if (--remaining == 0) break;
        }
        return assignment;
    }

    private static double LogSumExp(double[] values, int count)
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < count; k++) max = Math.Max(max, values[k]);
        if (double.IsNegativeInfinity(max)) return max;
        var sum = 0.0;
        for (var k = 0; k < count; k++) sum += Math.Exp(values[k] - max);
        return max + Math.Log(sum);
    }
}
