using GenSR.Core.Data;
using GenSR.Core.Runtime;
using GenSR.Unify.Checkpoints;
using GenSR.Unify.Model;

namespace GenSR.Unify.Inference;

/// <summary>
/// The serving facade: recommendation (history → items) and search (history + query → items) by trie-constrained
/// generative retrieval over the whole catalogue, and candidate scoring (pointwise or generative). Safe to call from
/// several threads at once (model calls are serialised; batch requests for throughput).
/// <para>Histories are the user's unified events, oldest first (<see cref="SrEvent.Recommendation"/> /
/// <see cref="SrEvent.Search"/>); only the most recent <see cref="GenSRModelConfig.MaxHistory"/> are used. An
/// <b>empty history</b> is allowed: the model then answers from the prompt alone (the query, for search) — a cold-start
/// answer, not an error. An item id outside the catalogue, a blank query or a k below 1 raise
/// <see cref="ArgumentException"/> naming the value.</para>
/// </summary>
public sealed class GenSRRecommender : IDisposable
{
    private readonly GenSRInference _inference;
    private readonly Dictionary<string, int> _byKey;
    private readonly GenSRCheckpoint? _owned;

    /// <summary>Wraps a trained model (not owned: dispose it yourself).</summary>
    /// <param name="model">The model.</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="itemKeys">External key of every item, by dense id.</param>
    /// <param name="maxBatch">Requests per model call in the batched methods. Default 64.</param>
    public GenSRRecommender(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, int maxBatch = 64)
        : this(model, builder, itemKeys, maxBatch, null)
    {
    }

    private GenSRRecommender(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, int maxBatch, GenSRCheckpoint? owned)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(itemKeys);
        if (itemKeys.Count != model.Config.ItemCount) throw new ArgumentException($"{itemKeys.Count} item keys given for {model.Config.ItemCount} items.", nameof(itemKeys));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ItemKeys = itemKeys;
        MaxBatch = maxBatch;
        _owned = owned;
        _inference = new GenSRInference(model, builder);
        _byKey = new Dictionary<string, int>(itemKeys.Count, StringComparer.Ordinal);
        for (var i = 0; i < itemKeys.Count; i++) _byKey.TryAdd(itemKeys[i], i);
    }

    /// <summary>Loads a checkpoint folder written by <see cref="GenSRCheckpoint.Save"/> (e.g. the trainer's <c>best/</c>).</summary>
    public static GenSRRecommender Load(string folder, ComputeDevice device = ComputeDevice.Auto, int maxBatch = 64)
    {
        var checkpoint = GenSRCheckpoint.Load(folder, TorchRuntime.Resolve(device));
        try
        {
            return new GenSRRecommender(checkpoint.Model, checkpoint.Builder, checkpoint.ItemKeys, maxBatch, checkpoint);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>External key of every item, by dense id.</summary>
    public IReadOnlyList<string> ItemKeys { get; }

    /// <summary>Requests per model call in the batched methods.</summary>
    public int MaxBatch { get; }

    /// <summary>Number of items in the catalogue.</summary>
    public int ItemCount => ItemKeys.Count;

    /// <summary>The dense id of an external item key.</summary>
    /// <exception cref="KeyNotFoundException">The key is not in the catalogue (the message names it).</exception>
    public int ItemId(string key) => _byKey.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out var id)
        ? id : throw new KeyNotFoundException($"Item key \"{key}\" is not in the model's catalogue of {ItemCount} items.");

    /// <summary>The top <paramref name="k"/> items to show next, best first.</summary>
    public IReadOnlyList<ScoredItem> Recommend(IReadOnlyList<SrEvent> history, int k = 10) =>
        RecommendBatch([history], k)[0];

    /// <summary>The top <paramref name="k"/> items for <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<ScoredItem> Search(IReadOnlyList<SrEvent> history, string query, int k = 10) =>
        SearchBatch([(history, query)], k)[0];

    /// <summary>Recommendations for many users at once.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredItem>> RecommendBatch(IReadOnlyList<IReadOnlyList<SrEvent>> histories, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(histories);
        return Generate(histories.Select((h, i) => new GenSRRequest(h ?? throw new ArgumentException($"History {i} is null.", nameof(histories)), TaskKind.Recommendation)).ToArray(), k);
    }

    /// <summary>Search results for many (history, query) pairs at once.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredItem>> SearchBatch(IReadOnlyList<(IReadOnlyList<SrEvent> History, string Query)> requests, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Generate(requests.Select((r, i) => new GenSRRequest(
            r.History ?? throw new ArgumentException($"Request {i} has a null history.", nameof(requests)),
            TaskKind.Search,
            string.IsNullOrWhiteSpace(r.Query) ? throw new ArgumentException($"Request {i} has an empty query.", nameof(requests)) : r.Query)).ToArray(), k);
    }

    /// <summary>Scores and ranks a given candidate list for one request, best first.</summary>
    /// <param name="history">The unified history.</param>
    /// <param name="task">Recommendation or search.</param>
    /// <param name="query">The query (search).</param>
    /// <param name="candidates">Candidate item ids (distinct or not; each is scored).</param>
    /// <param name="scoring">Pointwise P(Yes) (default) or the generative identifier log-probability.</param>
    public IReadOnlyList<ScoredItem> ScoreCandidates(IReadOnlyList<SrEvent> history, TaskKind task, string? query, IReadOnlyList<int> candidates,
                                                     CandidateScoring scoring = CandidateScoring.Pointwise)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(candidates);
        if (task == TaskKind.Search && string.IsNullOrWhiteSpace(query)) throw new ArgumentException("A search needs a non-empty query.", nameof(query));
        for (var i = 0; i < candidates.Count; i++)
            if ((uint)candidates[i] >= (uint)ItemCount) throw new ArgumentException($"Candidate {i} has item id {candidates[i]}, outside the catalogue [0, {ItemCount}).", nameof(candidates));
        if (candidates.Count == 0) return [];
        var scores = new float[candidates.Count];
        if (scoring == CandidateScoring.Pointwise)
        {
            for (var start = 0; start < candidates.Count; start += MaxBatch)
            {
                var chunk = candidates.Skip(start).Take(MaxBatch).Select(c => new GenSRRequest(history, task, query, c)).ToArray();
                _inference.ScorePointwise(chunk).CopyTo(scores, start);
            }
        }
        else
        {
            _inference.ScoreGenerative([new GenSRRequest(history, task, query)], [candidates])[0].CopyTo(scores, 0);
        }

        return candidates.Select((c, i) => ToScored(c, scores[i])).OrderByDescending(s => s.Score).ToArray();
    }

    /// <summary>Releases the device trie and, when loaded from a folder, the model.</summary>
    public void Dispose()
    {
        _inference.Dispose();
        _owned?.Dispose();
    }

    private IReadOnlyList<IReadOnlyList<ScoredItem>> Generate(GenSRRequest[] requests, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k > ItemCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must not exceed the catalogue size ({ItemCount}).");
        var beams = Math.Max(20, k);
        var results = new List<IReadOnlyList<ScoredItem>>(requests.Length);
        for (var start = 0; start < requests.Length; start += MaxBatch)
        {
            var chunk = requests.AsSpan(start, Math.Min(MaxBatch, requests.Length - start)).ToArray();
            foreach (var sequences in _inference.Generate(chunk, k, beams))
                results.Add(sequences.Select(s => ToScored(s.Item, s.LogProbability)).ToArray());
        }

        return results;
    }

    private ScoredItem ToScored(int item, float score) => new(item, ItemKeys[item], _inference.Builder.Titles[item], score);
}
