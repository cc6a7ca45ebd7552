using GenSR.Core;
using GenSR.Decoding;
using GenSR.Representation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The serving facade: recommendation (history → items) and search (history + query → items) by trie-constrained
/// generative retrieval, or by exact, dense or fused scores of the whole catalogue with exclusions and allow-lists
/// (<see cref="GenSRRankingOptions"/>), and candidate scoring (pointwise, generative or the ranking's scores). Safe to call from
/// several threads at once (model calls are serialised; batch requests for throughput).
/// <para>Histories are the user's unified events, oldest first (<see cref="SrEvent.Recommendation"/> /
/// <see cref="SrEvent.Search"/>); only the most recent <see cref="GenSRModelConfig.MaxHistory"/> are used. An
/// <b>empty history</b> is allowed: the model then answers from the prompt alone (the query, for search) — a cold-start
/// answer, not an error. An item id outside the catalogue, a blank query or a k below 1 raise
/// <see cref="ArgumentException"/> naming the value.</para>
/// <para>Services use the keyed calls of <see cref="IGenSRRecommender"/> (item keys in and out, filters inside the ranking),
/// and may swap in a new checkpoint with <see cref="Reload"/> while calls run.</para>
/// </summary>
public sealed class GenSRRecommender : IGenSRRecommender, IDisposable
{
    // Every call reads the catalogue state under the read lock; AddItems swaps it under the write lock, so a call in flight
    // finishes on the state it started with and the next one sees the new items.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly object _adding = new();
    private GenSRInference _inference;
    private Dictionary<string, int> _byKey;
    private GenSRCheckpoint? _owned;
    private GenSRModel? _ownedModel;
    private NewItemIndex? _newItems;
    private volatile GenSRRankingOptions? _servingRanking;
    private readonly ILogger _logger;

    /// <summary>Wraps a trained model (not owned: dispose it yourself).</summary>
    /// <param name="model">The model.</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="itemKeys">External key of every item, by dense id.</param>
    /// <param name="maxBatch">Requests per model call in the batched methods. Default 64.</param>
    /// <param name="newItems">What <see cref="AddItems"/> needs (the pipeline's <see cref="GenSRPrepared.NewItems"/>); null:
    /// items cannot be added. The recommender takes it over (adding items replaces it) and disposes it.</param>
    /// <param name="logger">Where loads, reloads and added items are logged; null: nowhere.</param>
    public GenSRRecommender(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, int maxBatch = 64, NewItemIndex? newItems = null,
                            ILogger? logger = null)
        : this(model, builder, itemKeys, maxBatch, null, newItems, logger)
    {
    }

    private GenSRRecommender(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, int maxBatch, GenSRCheckpoint? owned,
                             NewItemIndex? newItems, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(itemKeys);
        if (itemKeys.Count != model.Config.ItemCount) throw new ArgumentException(
            $"{itemKeys.Count} item keys given for {model.Config.ItemCount} items.", nameof(itemKeys));
        if (newItems is not null && newItems.ItemCount != model.Config.ItemCount)
            throw new ArgumentException($"The new-item index covers {newItems.ItemCount} items but the model has {model.Config.ItemCount}.", nameof(newItems));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ItemKeys = itemKeys;
        MaxBatch = maxBatch;
        _logger = logger ?? NullLogger.Instance;
        _owned = owned;
        _newItems = newItems;
        _inference = new GenSRInference(model, builder);
        _byKey = new Dictionary<string, int>(itemKeys.Count, StringComparer.Ordinal);
        for (var i = 0; i < itemKeys.Count; i++) _byKey.TryAdd(itemKeys[i], i);
        if (model.Device.type == TorchSharp.DeviceType.CPU && TorchRuntime.ThreadAdvice() is { } advice) _logger.LogWarning("{Advice}", advice);
    }

    /// <summary>Loads a checkpoint folder written by <see cref="GenSRCheckpoint.Save"/> (e.g. the trainer's <c>best/</c>).</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model runs; null (the default) for the first CUDA device when one is available, else the CPU.</param>
    /// <param name="maxBatch">Requests per model call in the batched methods.</param>
    /// <param name="queryEncoder">The query encoder the model was trained with, for a model that reads query vectors
    /// (<see cref="GenSRModelConfig.HasQueryVectors"/>); the caller owns it.</param>
    /// <param name="itemEncoder">The pretrained encoder of the identifiers' semantic vectors, for <see cref="AddItems"/> on a checkpoint
    /// saved with a new-item index over pretrained vectors (an LSA index brings its own); the caller owns it.</param>
    /// <param name="logger">Where loads, reloads and added items are logged; null: nowhere.</param>
    public static GenSRRecommender Load(string folder, Device? device = null, int maxBatch = 64,
                                        Representation.ISemanticEncoder? queryEncoder = null, Representation.ISemanticEncoder? itemEncoder = null,
                                        ILogger? logger = null)
    {
        // Read before the load: if a save moves the pointer meanwhile, the version recorded is the older one (a watcher then
        // reloads once more), never a newer one than is served.
        var version = VersionOf(folder);
        var checkpoint = GenSRCheckpoint.Load(folder, TorchRuntime.Resolve(device), queryEncoder, itemEncoder);
        try
        {
            var recommender =
                new GenSRRecommender(checkpoint.Model, checkpoint.Builder, checkpoint.ItemKeys, maxBatch, checkpoint, checkpoint.TakeNewItems(), logger)
            {
                CheckpointVersion = version,
            };
            recommender._logger.LogInformation("Loaded the GenSR checkpoint {Folder}: {Items} items, on {Device}.", folder, recommender.ItemCount,
                checkpoint.Model.Device);
            return recommender;
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>The version folder name of the checkpoint last loaded by <see cref="Load"/> or <see cref="Reload"/> (the name its
    /// <c>current</c> pointer gave just before loading), or null for a recommender built from a model in memory or a checkpoint
    /// of the layout without versions.</summary>
    public string? CheckpointVersion { get; private set; }

    private static string? VersionOf(string folder)
    {
        try
        {
            var resolved = GenSRCheckpoint.ResolveFolder(folder);
            return Path.GetFullPath(resolved) == Path.GetFullPath(folder) ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(resolved));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>External key of every item, by dense id (items added by <see cref="AddItems"/> follow the trained ones).</summary>
    public IReadOnlyList<string> ItemKeys { get; private set; }

    /// <summary>Whether <see cref="AddItems"/> can take new items (the recommender has a new-item index).</summary>
    public bool CanAddItems => _newItems is not null;

    /// <summary>Requests per model call in the batched methods.</summary>
    public int MaxBatch { get; }

    /// <summary>Number of items in the catalogue.</summary>
    public int ItemCount => ItemKeys.Count;

    /// <summary>The dense id of an external item key.</summary>
    /// <exception cref="KeyNotFoundException">The key is not in the catalogue (the message names it).</exception>
    public int ItemId(string key) => Read(() => _byKey.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out var id)
        ? id : throw new KeyNotFoundException($"Item key \"{key}\" is not in the model's catalogue of {ItemCount} items."));

    /// <summary>
    /// How the keyed calls (<see cref="IGenSRRecommender"/>) rank: a mode that scores the whole catalogue, so that filters
    /// apply inside the ranking. Default: <see cref="GenSRRankingMode.Fused"/> (weight 1) for a model with a dense head,
    /// else <see cref="GenSRRankingMode.Exact"/>; set the weight chosen on validation for the best results.
    /// </summary>
    /// <exception cref="ArgumentException">Set to beam search, to options with exclusions or allow-lists (give those per call as
    /// an <see cref="ItemFilter"/>), or to a dense mode for a model without a dense head.</exception>
    public GenSRRankingOptions ServingRanking
    {
        get => _servingRanking ?? Read(() => DefaultServingRanking(_inference.Model));
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!value.ScoresCatalog) throw new ArgumentException(
                "ServingRanking must score the whole catalogue (Exact, Dense or Fused), so that filters apply inside the ranking.", nameof(value));
            if (value.Restricts) throw new ArgumentException(
                "ServingRanking takes no exclusions or allow-lists; give them per call as an ItemFilter.", nameof(value));
            if (value.Mode != GenSRRankingMode.Exact && !Read(() => _inference.Model.Config.HasDenseHead))
                throw new ArgumentException($"The {value.Mode} mode needs a model with a dense head (GenSRModelConfig.DenseDimension is 0).", nameof(value));
            _servingRanking = value;
        }
    }

    private static GenSRRankingOptions DefaultServingRanking(GenSRModel model) =>
        new() { Mode = model.Config.HasDenseHead ? GenSRRankingMode.Fused : GenSRRankingMode.Exact };

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> RecommendAsync(IReadOnlyList<HistoryEvent> history, int k = 10, ItemFilter? filter = null,
                                                          CancellationToken cancellationToken = default)
    {
        var request = KeyedRequest.Recommendation(history, k, filter);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(RankKeyed([request])[0]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> SearchAsync(IReadOnlyList<HistoryEvent> history, string query, int k = 10, ItemFilter? filter = null,
                                                       CancellationToken cancellationToken = default)
    {
        var request = KeyedRequest.Search(history, query, k, filter);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(RankKeyed([request])[0]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> ScoreAsync(IReadOnlyList<HistoryEvent> history, string? query, IReadOnlyList<string> candidateKeys,
                                                      CancellationToken cancellationToken = default)
    {
        var request = KeyedRequest.Scoring(history, query, candidateKeys);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(RankKeyed([request])[0]);
    }

    /// <summary>
    /// Answers keyed requests together: one catalogue scoring per <see cref="MaxBatch"/> requests, each request then filtered
    /// and cut on its own. Keys are resolved against the catalogue under the same lock as the scoring, so a request never
    /// meets ids of another catalogue (after <see cref="AddItems"/> or <see cref="Reload"/>).
    /// </summary>
    internal IReadOnlyList<IReadOnlyList<ScoredItem>> RankKeyed(IReadOnlyList<KeyedRequest> requests) => Read(() =>
    {
        var ranking = _servingRanking ?? DefaultServingRanking(_inference.Model);
        var results = new IReadOnlyList<ScoredItem>[requests.Count];
        for (var start = 0; start < requests.Count; start += MaxBatch)
        {
            var count = Math.Min(MaxBatch, requests.Count - start);
            var chunk = new GenSRRequest[count];
            for (var r = 0; r < count; r++)
            {
                var request = requests[start + r];
                chunk[r] = new GenSRRequest(ResolveHistory(request.History), request.Task, request.Task == TaskKind.Search ? request.Query : null);
            }
            var scores = CatalogScores(chunk, ranking);
            for (var r = 0; r < count; r++)
            {
                var request = requests[start + r];
                var row = scores.AsSpan(r * ItemCount, ItemCount);
                results[start + r] = request.CandidateKeys is { } candidates
                    ? ScoreKeys(row, candidates)
                    : Filtered(row.ToArray(), request, chunk[r].History);
            }
        }
        return results;
    });

    private SrEvent[] ResolveHistory(IReadOnlyList<HistoryEvent> history)
    {
        var events = new List<SrEvent>(history.Count);
        foreach (var e in history)
        {
            if (!_byKey.TryGetValue(e.ItemKey, out var item)) continue;
            events.Add(e.IsSearch ? SrEvent.Search(0, item, e.Query!) : SrEvent.Recommendation(0, item));
        }
        return [.. events];
    }

    private IReadOnlyList<ScoredItem> Filtered(float[] row, KeyedRequest request, IReadOnlyList<SrEvent> history)
    {
        var filter = request.Filter;
        if (filter.AllowedKeys is { } allowedKeys)
        {
            var allowed = new bool[row.Length];
            foreach (var key in allowedKeys)
                if (_byKey.TryGetValue(key, out var item)) allowed[item] = true;
            for (var i = 0; i < row.Length; i++) if (!allowed[i]) row[i] = float.NegativeInfinity;
        }
        foreach (var key in filter.DeniedKeys ?? [])
            if (_byKey.TryGetValue(key, out var item)) row[item] = float.NegativeInfinity;
        if (filter.ExcludeSeen)
            foreach (var e in history) row[e.ItemId] = float.NegativeInfinity;
        return TopK(row, Math.Min(request.K, row.Length)).Select(i => ToScored(i, row[i])).ToArray();
    }

    private IReadOnlyList<ScoredItem> ScoreKeys(ReadOnlySpan<float> row, IReadOnlyList<string> keys)
    {
        var scored = new List<ScoredItem>(keys.Count);
        foreach (var key in keys)
            if (_byKey.TryGetValue(key, out var item)) scored.Add(ToScored(item, row[item]));
        return scored.OrderByDescending(s => s.Score).ToArray();
    }

    /// <summary>
    /// Replaces the model with the checkpoint in <paramref name="folder"/> while calls run: the checkpoint is loaded and
    /// checked first (a bad one leaves the recommender as it was and throws), then swapped in at once; calls in flight finish
    /// on the old model, later calls use the new one, and none fails. Items added with <see cref="AddItems"/> and not saved
    /// are replaced by the checkpoint's catalogue.
    /// </summary>
    /// <param name="folder">A checkpoint folder written by <see cref="GenSRCheckpoint.Save"/> (or <see cref="Save"/>).</param>
    /// <param name="device">Where the new model runs; null (the default) for the first CUDA device when one is available, else the CPU.</param>
    /// <param name="queryEncoder">The query encoder, for a model that reads query vectors; the caller owns it.</param>
    /// <param name="itemEncoder">The pretrained item encoder, for <see cref="AddItems"/> over pretrained vectors; the caller owns it.</param>
    public void Reload(string folder, Device? device = null, Representation.ISemanticEncoder? queryEncoder = null,
                       Representation.ISemanticEncoder? itemEncoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        lock (_adding)
        {
            var version = VersionOf(folder);
            var checkpoint = GenSRCheckpoint.Load(folder, TorchRuntime.Resolve(device), queryEncoder, itemEncoder);
            GenSRInference next;
            NewItemIndex? nextIndex = null;
            try
            {
                nextIndex = checkpoint.TakeNewItems();
                next = new GenSRInference(checkpoint.Model, checkpoint.Builder);
            }
            catch
            {
                nextIndex?.Dispose();
                checkpoint.Dispose();
                throw;
            }

            var keys = checkpoint.ItemKeys;
            var byKey = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++) byKey.TryAdd(keys[i], i);
            SwapIn(next, null, checkpoint, nextIndex, keys, byKey, () =>
            {
                CheckpointVersion = version;
                // A serving ranking that needs a dense head the new model lacks falls back to the default.
                if (_servingRanking is { Mode: not GenSRRankingMode.Exact } && !checkpoint.Model.Config.HasDenseHead) _servingRanking = null;
            });
            _logger.LogInformation("Reloaded the GenSR checkpoint {Folder}: {Items} items.", folder, keys.Count);
        }
    }

    /// <summary>The top <paramref name="k"/> items to show next, best first.</summary>
    /// <param name="history">The unified history, oldest first.</param>
    /// <param name="k">Items to return.</param>
    /// <param name="ranking">How to rank, and which items may be returned; null: beam search over the whole catalogue.</param>
    public IReadOnlyList<ScoredItem> Recommend(IReadOnlyList<SrEvent> history, int k = 10, GenSRRankingOptions? ranking = null) =>
        RecommendBatch([history], k, ranking)[0];

    /// <summary>The top <paramref name="k"/> items for <paramref name="query"/>, best first.</summary>
    /// <param name="history">The unified history, oldest first.</param>
    /// <param name="query">The query.</param>
    /// <param name="k">Items to return.</param>
    /// <param name="ranking">How to rank, and which items may be returned; null: beam search over the whole catalogue.</param>
    public IReadOnlyList<ScoredItem> Search(IReadOnlyList<SrEvent> history, string query, int k = 10, GenSRRankingOptions? ranking = null) =>
        SearchBatch([(history, query)], k, ranking)[0];

    /// <summary>Recommendations for many users at once.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredItem>> RecommendBatch(IReadOnlyList<IReadOnlyList<SrEvent>> histories, int k = 10,
        GenSRRankingOptions? ranking = null)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var requests = histories.Select((h, i) =>
            new GenSRRequest(h ?? throw new ArgumentException($"History {i} is null.", nameof(histories)), TaskKind.Recommendation)).ToArray();
        return Read(() => Rank(requests, k, ranking));
    }

    /// <summary>Search results for many (history, query) pairs at once.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredItem>> SearchBatch(IReadOnlyList<(IReadOnlyList<SrEvent> History, string Query)> requests, int k = 10,
        GenSRRankingOptions? ranking = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var built = requests.Select((r, i) => new GenSRRequest(
            r.History ?? throw new ArgumentException($"Request {i} has a null history.", nameof(requests)),
            TaskKind.Search,
            string.IsNullOrWhiteSpace(r.Query) ? throw new ArgumentException($"Request {i} has an empty query.", nameof(requests)) : r.Query)).ToArray();
        return Read(() => Rank(built, k, ranking));
    }

    /// <summary>Candidates scored per model call by <see cref="CandidateScoring.Generative"/> (memory grows with it, not with the list).</summary>
    public const int GenerativeCandidatesPerCall = 1024;

    /// <summary>Scores and ranks a given candidate list for one request, best first.</summary>
    /// <param name="history">The unified history.</param>
    /// <param name="task">Recommendation or search.</param>
    /// <param name="query">The query (search).</param>
    /// <param name="candidates">Candidate item ids (distinct or not; each is scored).</param>
    /// <param name="scoring">The generative identifier log-probability (default), pointwise P(Yes) (needs a model trained with
    /// Yes/No rows: <see cref="GenSRTrainingOptions.PointwiseFraction"/> above 0), or the catalogue ranking score.</param>
    /// <param name="ranking">With <see cref="CandidateScoring.Ranking"/>: the mode whose scores are read (exact, dense or fused;
    /// the same numbers as <see cref="Recommend"/> and <see cref="Search"/> rank by). Its restrictions do not apply here.</param>
    public IReadOnlyList<ScoredItem> ScoreCandidates(IReadOnlyList<SrEvent> history, TaskKind task, string? query, IReadOnlyList<int> candidates,
                                                     CandidateScoring scoring = CandidateScoring.Generative, GenSRRankingOptions? ranking = null) =>
        Read(() => ScoreCandidatesLocked(history, task, query, candidates, scoring, ranking));

    private IReadOnlyList<ScoredItem> ScoreCandidatesLocked(IReadOnlyList<SrEvent> history, TaskKind task, string? query, IReadOnlyList<int> candidates,
                                                            CandidateScoring scoring, GenSRRankingOptions? ranking)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(candidates);
        if (task == TaskKind.Search && string.IsNullOrWhiteSpace(query)) throw new ArgumentException("A search needs a non-empty query.", nameof(query));
        for (var i = 0; i < candidates.Count; i++)
            if ((uint)candidates[i] >= (uint)ItemCount) throw new ArgumentException(
                $"Candidate {i} has item id {candidates[i]}, outside the catalogue [0, {ItemCount}).", nameof(candidates));
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
        else if (scoring == CandidateScoring.Ranking)
        {
            ranking ??= new GenSRRankingOptions { Mode = GenSRRankingMode.Exact };
            if (!ranking.ScoresCatalog) throw new ArgumentException(
                "CandidateScoring.Ranking reads catalogue scores: choose the Exact, Dense or Fused mode.", nameof(ranking));
            var all = CatalogScores([new GenSRRequest(history, task, query)], ranking);
            for (var i = 0; i < candidates.Count; i++) scores[i] = all[candidates[i]];
        }
        else
        {
            // In slices, so that memory stays bounded however long the list is (each slice re-encodes the request).
            var request = new GenSRRequest(history, task, query);
            for (var start = 0; start < candidates.Count; start += GenerativeCandidatesPerCall)
            {
                var slice = candidates.Skip(start).Take(GenerativeCandidatesPerCall).ToArray();
                _inference.ScoreGenerative([request], [slice])[0].CopyTo(scores, start);
            }
        }

        return candidates.Select((c, i) => ToScored(c, scores[i])).OrderByDescending(s => s.Score).ToArray();
    }

    /// <summary>
    /// Adds items the model was never trained on, without retraining; they can be searched and recommended as soon as this
    /// returns (calls in flight finish on the catalogue they started with). Each item's text is encoded with the encoder of
    /// the identifiers' semantic vectors; its collaborative vector and dense-head row start from its nearest text neighbours
    /// (<see cref="NewItemIndex.Neighbours"/>); its identifier is the quantiser's code of its vector, moved to the nearest free
    /// code when taken, and the trie is rebuilt. <see cref="Save"/> keeps the added items.
    /// </summary>
    /// <param name="items">The new items: key (unique, not in the catalogue), title and the other text fields; their
    /// <see cref="Item.Id"/> is ignored (they get the ids after the catalogue's, in order).</param>
    /// <returns>The dense ids the items got.</returns>
    /// <exception cref="InvalidOperationException">The recommender has no new-item index (<see cref="CanAddItems"/>), its encoder
    /// is missing, or no identifier near an item's codes is free.</exception>
    /// <exception cref="ArgumentException">A key is blank, repeated or already in the catalogue.</exception>
    public IReadOnlyList<int> AddItems(IReadOnlyList<Item> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) return [];
        lock (_adding)
        {
            // Only AddItems replaces these, and it holds _adding: the snapshot stays current until the swap below.
            var (inference, keys, index, known) = Read(() => (_inference, ItemKeys, _newItems, _byKey));
            if (index is null)
                throw new InvalidOperationException("This recommender cannot add items: it has no new-item index (give the pipeline's GenSRPrepared.NewItems " +
                    "to the constructor, or load a checkpoint saved with it).");
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var key = items[i]?.Key;
                if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException($"New item {i} has no key.", nameof(items));
                if (known.ContainsKey(key)) throw new ArgumentException($"New item {i}'s key \"{key}\" is already in the catalogue.", nameof(items));
                if (!fresh.Add(key)) throw new ArgumentException($"New item {i}'s key \"{key}\" is given twice.", nameof(items));
            }

            var model = inference.Model;
            var builder = inference.Builder;
            var first = keys.Count;
            var added = items.Select((item, i) => item with { Id = first + i }).ToArray();
            NewItemIndex.Placement placement;
            using (var cf = model.ItemCollaborative.cpu())
                placement = index.Place(added, Representation.EmbeddingMatrix.FromTensor(cf), builder.Identifiers);
            GenSRModel? grown = null;
            GenSRInference? next = null;
            try
            {
                using var cfRows = placement.Collaborative.ToTensor();
                using var titleRows = GenSRPipeline.ItemTokens(added, builder.Vocabulary, model.Config, index.ItemTokensIncludeCategories);
                using var textRows = !model.Config.HasItemTextVectors ? null
                    : index.TextVectorsAreSemantic ? placement.Semantic.ToTensor()
                    : (builder.QueryEncoder ?? throw new InvalidOperationException(
                        "The model's item text vectors come from its query encoder; load the recommender with it to add items."))
                      .EncodeItems(added, index.Fields).to(ScalarType.Float32).cpu();
                grown = model.WithItems(cfRows, titleRows, textRows, placement.Neighbours);
                var table = new IdentifierTable(
                    [.. Enumerable.Range(0, builder.Identifiers.ItemCount).Select(builder.Identifiers.GetCodes), .. placement.Codes],
                    builder.Identifiers.LevelSizes);
                var grownBuilder = new GenSRInputBuilder(grown.Config, builder.Vocabulary, table, [.. builder.Titles, .. added.Select(i => i.Title ?? "")],
                                                         builder.PromptHistoryItems, builder.QueryEncoder);
                next = new GenSRInference(grown, grownBuilder);
            }
            catch
            {
                next?.Dispose();
                grown?.Dispose();
                throw;
            }

            var nextIndex = index.Extended(placement);
            var nextKeys = keys.Concat(added.Select(i => i.Key)).ToArray();
            var byKey = new Dictionary<string, int>(known, StringComparer.Ordinal);
            for (var i = 0; i < added.Length; i++) byKey[added[i].Key] = first + i;
            SwapIn(next, grown, null, nextIndex, nextKeys, byKey);
            _logger.LogInformation("Added {Added} items to the GenSR catalogue ({Items} items now).", added.Length, nextKeys.Length);
            return Enumerable.Range(first, added.Length).ToArray();
        }
    }

    /// <summary>
    /// Replaces the whole catalogue state under the write lock (calls in flight finish on the old state first; later calls
    /// see the new one), runs <paramref name="alsoUnderLock"/> there, then disposes what the old state owned. A model the
    /// caller gave stays theirs.
    /// </summary>
    private void SwapIn(GenSRInference inference, GenSRModel? ownedModel, GenSRCheckpoint? owned, NewItemIndex? newItems,
                        IReadOnlyList<string> keys, Dictionary<string, int> byKey, Action? alsoUnderLock = null)
    {
        GenSRInference old;
        GenSRModel? oldModel;
        GenSRCheckpoint? oldCheckpoint;
        NewItemIndex? oldIndex;
        _lock.EnterWriteLock();
        try
        {
            (old, oldModel, oldCheckpoint, oldIndex) = (_inference, _ownedModel, _owned, _newItems);
            (_inference, _ownedModel, _owned, _newItems, ItemKeys, _byKey) = (inference, ownedModel, owned, newItems, keys, byKey);
            alsoUnderLock?.Invoke();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        old.Dispose();
        oldModel?.Dispose();
        oldCheckpoint?.Dispose();
        oldIndex?.Dispose();
    }

    /// <summary>
    /// Saves the current model, items (added ones included) and new-item index as a checkpoint in <paramref name="folder"/>
    /// (atomically, as <see cref="GenSRCheckpoint.Save"/>); <see cref="Load"/> reads it back.
    /// </summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Read(() =>
        {
            GenSRCheckpoint.Save(folder, _inference.Model, _inference.Builder, ItemKeys, sidecarFiles: _newItems?.SidecarFiles());
            return true;
        });
    }

    /// <summary>Releases the device trie and the models the recommender owns (loaded from a folder, or grown by <see cref="AddItems"/>).</summary>
    public void Dispose()
    {
        _inference.Dispose();
        _ownedModel?.Dispose();
        _owned?.Dispose();
        _newItems?.Dispose();
        _lock.Dispose();
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private IReadOnlyList<IReadOnlyList<ScoredItem>> Rank(GenSRRequest[] requests, int k, GenSRRankingOptions? ranking)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (k > ItemCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must not exceed the catalogue size ({ItemCount}).");
        ranking ??= new GenSRRankingOptions();
        foreach (var item in ranking.AllowedItems ?? []) CheckId(item, "AllowedItems");
        foreach (var item in ranking.ExcludedItems ?? []) CheckId(item, "ExcludedItems");
        if (!ranking.ScoresCatalog) return Generate(requests, k, ranking);

        var allowed = ranking.AllowedItems is null ? null : new bool[ItemCount];
        foreach (var item in ranking.AllowedItems ?? []) allowed![item] = true;
        var results = new List<IReadOnlyList<ScoredItem>>(requests.Length);
        for (var start = 0; start < requests.Length; start += MaxBatch)
        {
            var chunk = requests.AsSpan(start, Math.Min(MaxBatch, requests.Length - start)).ToArray();
            var scores = CatalogScores(chunk, ranking);
            for (var r = 0; r < chunk.Length; r++)
            {
                var row = scores.AsSpan(r * ItemCount, ItemCount).ToArray();
                if (allowed is not null)
                    for (var i = 0; i < row.Length; i++) if (!allowed[i]) row[i] = float.NegativeInfinity;
                foreach (var item in ranking.ExcludedItems ?? []) row[item] = float.NegativeInfinity;
                if (ranking.ExcludeHistory)
                    foreach (var e in chunk[r].History) row[e.ItemId] = float.NegativeInfinity;
                results.Add(TopK(row, k).Select(i => ToScored(i, row[i])).ToArray());
            }
        }

        return results;
    }

    private float[] CatalogScores(GenSRRequest[] requests, GenSRRankingOptions ranking)
    {
        var generative = ranking.Mode is GenSRRankingMode.Exact || (ranking.Mode == GenSRRankingMode.Fused);
        var dense = ranking.Mode is GenSRRankingMode.Dense || (ranking.Mode == GenSRRankingMode.Fused && ranking.DenseWeight > 0);
        if (ranking.Mode == GenSRRankingMode.Fused && !_inference.Model.Config.HasDenseHead)
            throw new InvalidOperationException("Fused ranking needs a model with a dense head (GenSRModelConfig.DenseDimension is 0).");
        var parts = _inference.ScoreCatalog(requests, generative, dense, ranking.Normalization);
        return parts.For(ranking.Mode, ranking.DenseWeight);
    }

    /// <summary>The ids of the k best finite scores, best first (ties by item id); fewer when fewer items remain.</summary>
    private static int[] TopK(float[] row, int k)
    {
        var best = new PriorityQueue<int, (float Score, int Item)>(k + 1, Comparer<(float Score, int Item)>.Create((a, b) =>
            a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Item.CompareTo(a.Item)));
        for (var i = 0; i < row.Length; i++)
        {
            if (float.IsNegativeInfinity(row[i]) || float.IsNaN(row[i])) continue;
            best.Enqueue(i, (row[i], i));
            if (best.Count > k) best.Dequeue();
        }

        var result = new int[best.Count];
        for (var j = result.Length - 1; j >= 0; j--) result[j] = best.Dequeue();
        return result;
    }

    private int CheckId(int item, string list) =>
        (uint)item < (uint)ItemCount
            ? item
            : throw new ArgumentException($"GenSRRankingOptions.{list} has item id {item}, outside the catalogue [0, {ItemCount}).");

    private IReadOnlyList<IReadOnlyList<ScoredItem>> Generate(GenSRRequest[] requests, int k, GenSRRankingOptions ranking)
    {
        var beams = Math.Max(20, k);
        // Exclusions and allow-lists constrain the search itself (trie ∧ rules), so no beam is spent on them. The shared
        // rules are built once; the seen items are per request, so per chunk.
        var shared = new List<IItemRule>();
        if (ranking.AllowedItems is not null) shared.Add(new ItemAllowList(ranking.AllowedItems));
        if (ranking.ExcludedItems is { Count: > 0 }) shared.Add(ItemExclusions.ForAll(ranking.ExcludedItems));
        var results = new List<IReadOnlyList<ScoredItem>>(requests.Length);
        for (var start = 0; start < requests.Length; start += MaxBatch)
        {
            var chunk = requests.AsSpan(start, Math.Min(MaxBatch, requests.Length - start)).ToArray();
            IReadOnlyList<IItemRule> rules = ranking.ExcludeHistory
                ? [.. shared, ItemExclusions.PerQueryLists(chunk.Select(r => r.History.Select(e => e.ItemId)))]
                : shared;
            foreach (var sequences in _inference.Generate(chunk, k, beams, rules))
                results.Add(sequences.Select(s => ToScored(s.Item, s.LogProbability)).ToArray());
        }

        return results;
    }

    private ScoredItem ToScored(int item, float score) => new(item, ItemKeys[item], _inference.Builder.Titles[item], score);
}
