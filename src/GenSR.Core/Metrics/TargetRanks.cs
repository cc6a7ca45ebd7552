using System.Numerics;
using System.Runtime.InteropServices;

namespace GenSR.Core;

/// <summary>
/// Computes the 1-based rank of each case's held-out target, either from a score matrix or from generated
/// top-K lists. A rank of <c>0</c> means "not retrieved" (it counts as a miss at every cutoff).
/// </summary>
/// <remarks>
/// Tie rule (pessimistic): rank = 1 + (candidates scoring strictly higher than the target) + (other candidates
/// scoring exactly the same). A model that gives every candidate the same score therefore ranks the target last,
/// so constant or collapsed scores can never look good. NaN scores are rejected.
/// </remarks>
public static class TargetRanks
{
    /// <summary>Ranks each row's target column among that row's candidates.</summary>
    /// <param name="scores">Row-major score matrix [cases, candidateCount]; higher is better.</param>
    /// <param name="candidateCount">Candidates per row (columns).</param>
    /// <param name="targetColumns">Per case, the column of the held-out target, in [0, candidateCount).</param>
    /// <param name="ranks">Receives per case the rank in [1, candidateCount]; at least as long as <paramref name="targetColumns"/>.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a target column is out of range, or a score is NaN (the message names row and column).</exception>
    public static void FromScores(ReadOnlySpan<float> scores, int candidateCount, ReadOnlySpan<int> targetColumns, Span<int> ranks) =>
        FromScores(scores, candidateCount, targetColumns, ranks, excludedColumns: null);

    /// <summary>
    /// Ranks each row's target column among that row's candidates, ignoring the listed columns of each row (e.g. the
    /// user's history items under full ranking). Excluded columns are simply not counted; the target itself is never excluded.
    /// Say in the report that items were excluded.
    /// </summary>
    /// <param name="scores">Row-major score matrix [cases, candidateCount]; higher is better.</param>
    /// <param name="candidateCount">Candidates per row (columns).</param>
    /// <param name="targetColumns">Per case, the column of the held-out target, in [0, candidateCount).</param>
    /// <param name="ranks">Receives per case the rank in [1, candidateCount]; at least as long as <paramref name="targetColumns"/>.</param>
    /// <param name="excludedColumns">Per case, columns not to rank against (duplicates allowed); <c>null</c> for none.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a column is out of range, or a score is NaN (the message names row and column).</exception>
    public static void FromScores(ReadOnlySpan<float> scores, int candidateCount, ReadOnlySpan<int> targetColumns, Span<int> ranks,
                                  IReadOnlyList<IReadOnlyList<int>>? excludedColumns)
    {
        if (candidateCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(candidateCount), candidateCount, "Expected at least one candidate per row.");
        var cases = targetColumns.Length;
        if ((long)cases * candidateCount != scores.Length)
            throw new ArgumentException(
                $"Expected {cases} rows x {candidateCount} candidates = {(long)cases * candidateCount} scores, got {scores.Length}.", nameof(scores));
        if (ranks.Length < cases)
            throw new ArgumentException($"Expected room for {cases} ranks, got {ranks.Length}.", nameof(ranks));
        if (excludedColumns is not null && excludedColumns.Count != cases)
            throw new ArgumentException($"Expected one exclusion list per case ({cases}), got {excludedColumns.Count}.", nameof(excludedColumns));

        bool[]? seen = excludedColumns is null ? null : new bool[candidateCount];
        for (var row = 0; row < cases; row++)
        {
            var target = targetColumns[row];
            if ((uint)target >= (uint)candidateCount)
                throw new ArgumentException($"Row {row}: target column {target} is outside [0, {candidateCount}).", nameof(targetColumns));
            var rowScores = scores.Slice(row * candidateCount, candidateCount);
            var targetScore = rowScores[target];
            if (float.IsNaN(targetScore)) throw NaNError(rowScores, row);

            var (higher, equal, nan) = CountAgainst(rowScores, targetScore);
            if (nan != 0) throw NaNError(rowScores, row);
            // equal includes the target itself.
            var rank = 1 + higher + (equal - 1);

            if (excludedColumns is not null)
                rank -= CountExcludedAtOrAbove(rowScores, target, targetScore, excludedColumns[row], seen!, row);
            ranks[row] = rank;
        }
    }

    /// <summary>Ranks each case's target item by its position in a generated top-K list (generative retrieval).</summary>
    /// <param name="generatedItems">Row-major [cases, listLength] item ids, best first; shorter lists are padded with any negative id.</param>
    /// <param name="listLength">Length of each row.</param>
    /// <param name="targetItems">Per case, the held-out item id (non-negative).</param>
    /// <param name="ranks">Receives per case the 1-based position of the target, or 0 when it was not generated.</param>
    /// <exception cref="ArgumentException">Shapes disagree or a target id is negative.</exception>
    public static void FromGeneratedLists(ReadOnlySpan<int> generatedItems, int listLength, ReadOnlySpan<int> targetItems, Span<int> ranks)
    {
        if (listLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(listLength), listLength, "Expected a list length of at least 1.");
        var cases = targetItems.Length;
        if ((long)cases * listLength != generatedItems.Length)
            throw new ArgumentException($"Expected {cases} rows x {listLength} items = {(long)cases * listLength} ids, got {generatedItems.Length}.",
                nameof(generatedItems));
        if (ranks.Length < cases)
            throw new ArgumentException($"Expected room for {cases} ranks, got {ranks.Length}.", nameof(ranks));
        for (var row = 0; row < cases; row++)
        {
            var target = targetItems[row];
            if (target < 0) throw new ArgumentException($"Row {row}: target item {target} is negative.", nameof(targetItems));
            // IndexOf is SIMD-accelerated; the first occurrence is the target's rank.
            ranks[row] = generatedItems.Slice(row * listLength, listLength).IndexOf(target) + 1;
        }
    }

    /// <summary>Ranks each case's target item by its position in a generated top-K list (lists may differ in length).</summary>
    /// <param name="generatedLists">Per case, the generated item ids, best first.</param>
    /// <param name="targetItems">Per case, the held-out item id (non-negative).</param>
    /// <returns>Per case, the 1-based position of the target, or 0 when it was not generated.</returns>
    public static int[] FromGeneratedLists(IReadOnlyList<IReadOnlyList<int>> generatedLists, ReadOnlySpan<int> targetItems)
    {
        ArgumentNullException.ThrowIfNull(generatedLists);
        if (generatedLists.Count != targetItems.Length)
            throw new ArgumentException($"Expected one generated list per target ({targetItems.Length}), got {generatedLists.Count}.", nameof(generatedLists));
        var ranks = new int[targetItems.Length];
        for (var row = 0; row < ranks.Length; row++)
        {
            var target = targetItems[row];
            if (target < 0) throw new ArgumentException($"Row {row}: target item {target} is negative.", nameof(targetItems));
            var list = generatedLists[row] ?? throw new ArgumentException($"Row {row}: the generated list is null.", nameof(generatedLists));
            ranks[row] = list switch
            {
                int[] array => array.AsSpan().IndexOf(target) + 1,
                List<int> l => CollectionsMarshal.AsSpan(l).IndexOf(target) + 1,
                _ => IndexOf(list, target) + 1,
            };
        }
        return ranks;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }

    /// <summary>Counts scores strictly above, equal to, and NaN, against <paramref name="pivot"/>, with SIMD.</summary>
    internal static (int Higher, int Equal, int NaN) CountAgainst(ReadOnlySpan<float> row, float pivot)
    {
        var i = 0;
        var higher = 0;
        var equal = 0;
        var valid = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var pivotVector = new Vector<float>(pivot);
            // Comparison masks are -1 where true, so subtracting them counts per lane.
            var higherAcc = Vector<int>.Zero;
            var equalAcc = Vector<int>.Zero;
            var validAcc = Vector<int>.Zero;
            ref var start = ref MemoryMarshal.GetReference(row);
            for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                higherAcc -= Vector.GreaterThan(v, pivotVector);
                equalAcc -= Vector.Equals(v, pivotVector);
                validAcc -= Vector.Equals(v, v);
            }
            higher = Vector.Sum(higherAcc);
            equal = Vector.Sum(equalAcc);
            valid = Vector.Sum(validAcc);
        }
        for (; i < row.Length; i++)
        {
            var s = row[i];
            if (s > pivot) higher++;
            else if (s == pivot) equal++;
            if (!float.IsNaN(s)) valid++;
        }
        return (higher, equal, row.Length - valid);
    }

    private static int CountExcludedAtOrAbove(ReadOnlySpan<float> row, int target, float targetScore, IReadOnlyList<int>? excluded, bool[] seen, int rowIndex)
    {
        if (excluded is null || excluded.Count == 0) return 0;
        var removed = 0;
        for (var j = 0; j < excluded.Count; j++)
        {
            var column = excluded[j];
            if ((uint)column >= (uint)row.Length)
                throw new ArgumentException($"Row {rowIndex}: excluded column {column} is outside [0, {row.Length}).", "excludedColumns");
            if (column == target || seen[column]) continue;
            seen[column] = true;
            if (row[column] >= targetScore) removed++;
        }
        for (var j = 0; j < excluded.Count; j++) seen[excluded[j]] = false;
        return removed;
    }

    private static ArgumentException NaNError(ReadOnlySpan<float> row, int rowIndex)
    {
        var column = 0;
        while (column < row.Length && !float.IsNaN(row[column])) column++;
        return new ArgumentException(
            $"Row {rowIndex}: the score at column {column} is NaN; scores must be numbers (use -Infinity for impossible candidates).", "scores");
    }
}
