namespace GenSR.Core;

/// <summary>
/// Builds search events for data without a query log, following the category-path protocol of product-search
/// work: HEM (Ai et al., "Learning a Hierarchical Embedding Model for Personalized Product Search", SIGIR 2017),
/// JSR (Zamani &amp; Croft, "Joint Modeling and Optimization of Search and Recommendation", DESIRES 2018, and
/// "Learning a Joint Search and Recommendation Model from User-Item Interactions", WSDM 2020) and UniSAR
/// (Shi et al., "UniSAR: Modeling User Transition Behaviors between Search and Recommendation", SIGIR 2024).
/// The query of an item is the words of
/// its category path, lower-cased, punctuation stripped, de-duplicated, stop words removed and the root
/// category dropped; an item without category words falls back to its title (then description) words.
/// </summary>
public sealed class CategoryQuerySynthesizer
{
    /// <summary>Creates the synthesiser.</summary>
    /// <param name="options">Options; <c>null</c> for the defaults.</param>
    public CategoryQuerySynthesizer(QuerySynthesisOptions? options = null) => Options = options ?? new QuerySynthesisOptions();

    /// <summary>The options.</summary>
    public QuerySynthesisOptions Options { get; }

    /// <summary>
    /// The synthesised query of an item, e.g. categories <c>[Fasteners, Screws, Wood Screws]</c> give
    /// <c>"fasteners screws wood"</c>. Empty only when the item has no category, title or description words.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <returns>Lower-case words separated by single spaces.</returns>
    public string BuildQuery(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var stopWords = Options.StopWords;
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AppendCategoryWords(item, words, seen);
        if (words.Count == 0)
            QueryWords.AppendDistinct(item.Title, stopWords, words, seen, Options.MaxFallbackWords);
        if (words.Count == 0)
            QueryWords.AppendDistinct(item.Description, stopWords, words, seen, Options.MaxFallbackWords);
        return string.Join(' ', words);
    }

    /// <summary>
    /// The words of an item's category path alone, normalised as in <see cref="BuildQuery"/> (lower-case, de-duplicated,
    /// stop words and the root category dropped) but without the title fallback: empty when the item has no category words.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <returns>Lower-case words separated by single spaces, or the empty string.</returns>
    public string CategoryWords(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var words = new List<string>();
        AppendCategoryWords(item, words, new HashSet<string>(StringComparer.Ordinal));
        return string.Join(' ', words);
    }

    private void AppendCategoryWords(Item item, List<string> words, HashSet<string> seen)
    {
        for (var i = 0; i < item.Categories.Count; i++)
        {
            var segment = item.Categories[i];
            if (i == 0 && Options.RootCategory is { } root && string.Equals(segment.Trim(), root.Trim(), StringComparison.OrdinalIgnoreCase))
                continue;
            QueryWords.AppendDistinct(segment, Options.StopWords, words, seen);
        }
    }

    /// <summary>
    /// Turns a seeded fraction of each user's events into search events carrying the query of their item.
    /// Events that already are search events (a real query log) are kept as they are and count towards the
    /// fraction; events whose item has an empty query stay recommendation events.
    /// </summary>
    /// <remarks>
    /// For a user with <c>n</c> events the number of search events is <c>floor(SearchFraction · n + u)</c> with
    /// <c>u</c> uniform in [0, 1) (unbiased rounding), and which events is a seeded random choice. The random
    /// stream of a user depends only on <see cref="QuerySynthesisOptions.Seed"/> and the user id, so the result
    /// is deterministic and independent of the other users.
    /// </remarks>
    /// <param name="dataset">The dataset.</param>
    /// <returns>A dataset with the same catalogue and users and the new histories.</returns>
    public SrDataset Apply(SrDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var queries = new string?[dataset.Catalog.Count];
        string QueryOf(int itemId) => queries[itemId] ??= BuildQuery(dataset.Catalog[itemId]);

        var histories = new IReadOnlyList<SrEvent>[dataset.Users.Count];
        var eligible = new List<int>();
        for (var u = 0; u < histories.Length; u++)
        {
            var source = dataset.Histories[u];
            var random = new Random(MixSeed(Options.Seed, u));
            var target = (int)Math.Floor(Options.SearchFraction * source.Count + random.NextDouble());
            var existing = 0;
            eligible.Clear();
            for (var i = 0; i < source.Count; i++)
            {
                if (source[i].Task == TaskKind.Search)
                    existing++;
                else if (QueryOf(source[i].ItemId).Length > 0)
                    eligible.Add(i);
            }
            var convert = Math.Clamp(target - existing, 0, eligible.Count);
            if (convert == 0)
            {
                histories[u] = source;
                continue;
            }
            var events = source.ToArray();
            // Partial Fisher-Yates: the first `convert` slots become a uniform random subset.
            for (var k = 0; k < convert; k++)
            {
                var pick = random.Next(k, eligible.Count);
                (eligible[k], eligible[pick]) = (eligible[pick], eligible[k]);
                var e = events[eligible[k]];
                events[eligible[k]] = SrEvent.Search(e.UserId, e.ItemId, QueryOf(e.ItemId), e.Timestamp);
            }
            histories[u] = events;
        }
        return dataset.WithHistories(histories);
    }

    /// <summary>A 32-bit seed from a base seed and a stream index (SplitMix64 finaliser).</summary>
    internal static int MixSeed(int seed, int stream)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
