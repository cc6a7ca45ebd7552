
namespace GenSR.Decoding;

/// <summary>What <see cref="BeamSearch.Search"/> returns: per query, its results best first.</summary>
public sealed class BeamSearchResult
{
    /// <summary>Creates a result from per-query lists (each sorted best first).</summary>
    public BeamSearchResult(IReadOnlyList<IReadOnlyList<DecodedSequence>> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        Queries = queries;
    }

    /// <summary>Per query (in the decoder's batch order), up to <see cref="BeamSearchOptions.ResultsPerQuery"/> results, best first. Hypotheses with score -inf
    /// (dead beams) are never included.</summary>
    public IReadOnlyList<IReadOnlyList<DecodedSequence>> Queries { get; }

    /// <summary>The results of query <paramref name="query"/>.</summary>
    public IReadOnlyList<DecodedSequence> this[int query] => Queries[query];

    /// <summary>Total number of results over all queries.</summary>
    public int Count => Queries.Sum(q => q.Count);

    /// <summary>
    /// The fraction of returned sequences that are not an identifier of <paramref name="trie"/> (see
    /// <see cref="PrefixTrie.TryGetItem"/>), in [0, 1]; 0 when nothing was returned. Reported for unconstrained
    /// search next to constrained search, whose rate is 0 by construction.
    /// </summary>
    public double InvalidIdentifierRate(PrefixTrie trie)
    {
        ArgumentNullException.ThrowIfNull(trie);
        var total = 0;
        var invalid = 0;
        foreach (var query in Queries)
            foreach (var sequence in query)
            {
                total++;
                if (!trie.Contains(sequence.Tokens.ToArray())) invalid++;
            }
        return total == 0 ? 0 : (double)invalid / total;
    }
}
