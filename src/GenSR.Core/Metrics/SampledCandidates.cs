using System.Buffers;

namespace GenSR.Core;

/// <summary>
/// Draws the candidate list of the sampled protocol: the target at column <see cref="TargetColumn"/> followed by
/// negatives drawn uniformly without replacement from the catalogue, never the target and (by default) never an item
/// of the user's history. Deterministic per (seed, case key); thread-safe.
/// </summary>
public sealed class SampledCandidates
{
    /// <summary>Column of the positive (target) item in every drawn row.</summary>
    public const int TargetColumn = 0;

    private const int StackSlots = 2048;

    /// <summary>Creates a sampler over a catalogue of <paramref name="catalogSize"/> items (dense ids 0 … catalogSize − 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The catalogue is empty.</exception>
    public SampledCandidates(int catalogSize, SampledCandidatesOptions? options = null)
    {
        if (catalogSize <= 0) throw new ArgumentOutOfRangeException(nameof(catalogSize), catalogSize, "The catalogue must have at least one item.");
        CatalogSize = catalogSize;
        Options = options ?? new SampledCandidatesOptions();
    }

    /// <summary>Number of items in the catalogue.</summary>
    public int CatalogSize { get; }

    /// <summary>The options in use.</summary>
    public SampledCandidatesOptions Options { get; }

    /// <summary>Candidates per case: 1 positive + <see cref="SampledCandidatesOptions.NegativeCount"/> negatives.</summary>
    public int CandidatesPerCase => 1 + Options.NegativeCount;

    /// <summary>One line for a report, e.g. <c>1 positive + 99 negatives sampled uniformly (seed 7), history items excluded</c>.</summary>
    public string Describe() =>
        $"1 positive + {Options.NegativeCount} negatives sampled uniformly without replacement from {CatalogSize} items (seed {Options.Seed}), " +
        $"history items {(Options.ExcludeHistory ? "excluded from" : "allowed as")} negatives";

    /// <summary>Draws the candidates of one case.</summary>
    /// <param name="caseKey">Identifies the case (e.g. user id × 2 + task); the same key always gives the same draw.</param>
    /// <param name="target">The held-out item.</param>
    /// <param name="history">The user's history items (ignored when <see cref="SampledCandidatesOptions.ExcludeHistory"/> is off).</param>
    /// <returns>[<see cref="CandidatesPerCase"/>] item ids, the target first.</returns>
    public int[] Draw(long caseKey, int target, ReadOnlySpan<int> history)
    {
        var row = new int[CandidatesPerCase];
        Draw(caseKey, target, history, row);
        return row;
    }

    /// <summary>Draws the candidates of one case into <paramref name="candidates"/> ([<see cref="CandidatesPerCase"/>], the target first).</summary>
    /// <exception cref="ArgumentException">An item id is outside the catalogue, or <paramref name="candidates"/> has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">The catalogue has fewer admissible negatives than requested (the message gives the counts).</exception>
    public void Draw(long caseKey, int target, ReadOnlySpan<int> history, Span<int> candidates)
    {
        if ((uint)target >= (uint)CatalogSize)
            throw new ArgumentException($"Case {caseKey}: target item {target} is outside the catalogue [0, {CatalogSize}).", nameof(target));
        if (candidates.Length != CandidatesPerCase)
            throw new ArgumentException($"Expected room for exactly {CandidatesPerCase} candidates, got {candidates.Length}.", nameof(candidates));
        var excludedHistory = Options.ExcludeHistory ? history : ReadOnlySpan<int>.Empty;
        foreach (var h in excludedHistory)
            if ((uint)h >= (uint)CatalogSize)
                throw new ArgumentException($"Case {caseKey}: history item {h} is outside the catalogue [0, {CatalogSize}).", nameof(history));

        var negatives = Options.NegativeCount;
        var slotCount = IntOpenHashSet.CapacityFor(1 + excludedHistory.Length + negatives);
        int[]? rented = null;
        Span<int> slots = slotCount <= StackSlots ? stackalloc int[slotCount] : (rented = ArrayPool<int>.Shared.Rent(slotCount)).AsSpan(0, slotCount);
        try
        {
            var taken = new IntOpenHashSet(slots);
            taken.Add(target);
            foreach (var h in excludedHistory) taken.Add(h);
            var admissible = CatalogSize - taken.Count;
            if (admissible < negatives)
                throw new InvalidOperationException(
                    $"Case {caseKey}: only {admissible} of {CatalogSize} items can be negatives (target and {taken.Count - 1} distinct " +
                    "history items excluded), " +
                    $"but {negatives} were requested. Lower NegativeCount or use full ranking.");

            candidates[TargetColumn] = target;
            var rng = SplitMix64.ForStream(Options.Seed, caseKey);
            if (negatives * 2 <= admissible)
            {
                // Sparse: rejection sampling; each draw is accepted with probability at least 1/2.
                var filled = 1;
                while (filled < candidates.Length)
                {
                    var item = rng.NextInt(CatalogSize);
                    if (taken.Add(item)) candidates[filled++] = item;
                }
            }
            else
            {
                // Dense: a partial Fisher-Yates shuffle of the admissible items.
                var pool = new int[admissible];
                var n = 0;
                for (var item = 0; item < CatalogSize; item++)
                    if (!taken.Contains(item)) pool[n++] = item;
                for (var i = 0; i < negatives; i++)
                {
                    var j = i + rng.NextInt(admissible - i);
                    (pool[i], pool[j]) = (pool[j], pool[i]);
                    candidates[1 + i] = pool[i];
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        }
    }
}
