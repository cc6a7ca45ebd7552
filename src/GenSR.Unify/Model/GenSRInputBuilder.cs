using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Turns <see cref="GenSRRequest"/>s into <see cref="GenSRBatch"/>es: renders the task prompt (instruction, query, the
/// identifiers of the most recent history items, soft-token slots), pads the history and query, and encodes targets as
/// identifier tokens + eos (generative) or "Yes"/"No" (pointwise); for a model with query vectors, encodes the queries
/// with the query encoder (each distinct query once, remembered for later batches). Thread-safe.
/// </summary>
public sealed class GenSRInputBuilder
{
    private readonly string[] _titles;
    private readonly int[][] _identifierTokens;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _queryVectors = new(StringComparer.Ordinal);

    /// <summary>Distinct queries whose vectors are remembered; beyond this, new queries are encoded every time they are seen.</summary>
    public const int QueryVectorMemory = 200_000;

    /// <summary>Creates a builder.</summary>
    /// <param name="config">The model config (history cap, query length).</param>
    /// <param name="vocabulary">The model vocabulary, including the identifier tokens of <paramref name="identifiers"/>.</param>
    /// <param name="identifiers">Item identifiers; one per catalogue item.</param>
    /// <param name="itemTitles">Title of each item (candidate text in pointwise prompts).</param>
    /// <param name="promptHistoryItems">How many of the most recent history items are written into the prompt as identifier tokens (0 … MaxHistory).</param>
    /// <param name="queryEncoder">The sentence encoder of the queries, required exactly when the config reads query vectors
    /// (<see cref="GenSRModelConfig.HasQueryVectors"/>) and of its width; the caller owns it.</param>
    public GenSRInputBuilder(GenSRModelConfig config, ModelVocabulary vocabulary, IdentifierTable identifiers, IReadOnlyList<string> itemTitles,
                             int promptHistoryItems, Representation.ISemanticEncoder? queryEncoder = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(itemTitles);
        if (identifiers.ItemCount != config.ItemCount)
            throw new ArgumentException($"The identifier table has {identifiers.ItemCount} items but the model config has {config.ItemCount}.",
                nameof(identifiers));
        if (itemTitles.Count != config.ItemCount)
            throw new ArgumentException($"{itemTitles.Count} item titles given for {config.ItemCount} items.", nameof(itemTitles));
        if (vocabulary.IdentifierTokenCount != identifiers.TokenCount)
            throw new ArgumentException($"The vocabulary has {vocabulary.IdentifierTokenCount} identifier tokens but the identifier table needs " +
                $"{identifiers.TokenCount}.", nameof(vocabulary));
        if (vocabulary.Size != config.Backbone.VocabSize)
            throw new ArgumentException($"The vocabulary has {vocabulary.Size} tokens but the backbone's vocab_size is {config.Backbone.VocabSize}.",
                nameof(vocabulary));
        if (promptHistoryItems < 0 || promptHistoryItems > config.MaxHistory)
            throw new ArgumentOutOfRangeException(nameof(promptHistoryItems), promptHistoryItems,
                $"promptHistoryItems must be in [0, {config.MaxHistory}] (MaxHistory).");
        if (queryEncoder is not null && !config.HasQueryVectors)
            throw new ArgumentException("A query encoder was given but the model reads no query vectors (QueryVectorDimension is 0).", nameof(queryEncoder));
        if (queryEncoder is not null && queryEncoder.Dimension != config.QueryVectorDimension)
            throw new ArgumentException($"The query encoder gives {queryEncoder.Dimension}-d vectors but the model reads {config.QueryVectorDimension}-d " +
                "query vectors.", nameof(queryEncoder));
        QueryEncoder = queryEncoder;
        Config = config;
        Vocabulary = vocabulary;
        Identifiers = identifiers;
        PromptHistoryItems = promptHistoryItems;
        // A very long query loses its last words rather than failing the batch (the query tokens the history encoders
        // read are the first QueryTokens anyway); the candidate's text is shortened first.
        Renderer = new PromptRenderer(vocabulary,
            new PromptRendererOptions { TruncatableTextSlots = [GenSRPromptTemplates.CandidateSlot, GenSRPromptTemplates.QuerySlot] });
        _titles = itemTitles.ToArray();
        _identifierTokens = new int[identifiers.ItemCount][];
        for (var i = 0; i < identifiers.ItemCount; i++) _identifierTokens[i] = identifiers.ToTokenIds(i, vocabulary.IdentifierOffset);
    }

    /// <summary>The model config.</summary>
    public GenSRModelConfig Config { get; }

    /// <summary>The model vocabulary.</summary>
    public ModelVocabulary Vocabulary { get; }

    /// <summary>The item identifiers.</summary>
    public IdentifierTable Identifiers { get; }

    /// <summary>Title of every item, by dense id (candidate text of pointwise prompts).</summary>
    public IReadOnlyList<string> Titles => _titles;

    /// <summary>Most recent history items written into the prompt.</summary>
    public int PromptHistoryItems { get; }

    /// <summary>The sentence encoder of the queries, or null (a model without query vectors, or one whose encoder is not given yet).</summary>
    public Representation.ISemanticEncoder? QueryEncoder { get; }

    /// <summary>A builder like this one with <paramref name="queryEncoder"/> as its query encoder (e.g. after loading a checkpoint).</summary>
    public GenSRInputBuilder WithQueryEncoder(Representation.ISemanticEncoder queryEncoder)
    {
        ArgumentNullException.ThrowIfNull(queryEncoder);
        return new GenSRInputBuilder(Config, Vocabulary, Identifiers, _titles, PromptHistoryItems, queryEncoder);
    }

    /// <summary>The prompt renderer.</summary>
    public PromptRenderer Renderer { get; }

    /// <summary>The identifier tokens of an item followed by eos (the generative target).</summary>
    public int[] TargetTokens(int item)
    {
        CheckItem(item, "target item");
        return [.. _identifierTokens[item], Vocabulary.EosId];
    }

    /// <summary>Builds a batch on <paramref name="device"/>. All requests must be generative, or all pointwise.</summary>
    /// <exception cref="ArgumentException">A request is malformed: an unknown item id, a search without a query, mixed modes.</exception>
    public GenSRBatch Build(IReadOnlyList<GenSRRequest> requests, Device device, bool withLabels)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0) throw new ArgumentException("At least one request is required.", nameof(requests));
        if (Config.HasQueryVectors && QueryEncoder is null)
            throw new InvalidOperationException($"The model reads {Config.QueryVectorDimension}-d query vectors; give the input builder its query encoder " +
                "(GenSRInputBuilder.WithQueryEncoder, or the pipeline's QueryEncoder option).");
        var pointwise = requests[0].IsPointwise;
        var batch = requests.Count;
        var rows = new Row[batch];
        for (var b = 0; b < batch; b++) rows[b] = PrepareRow(requests[b], b, pointwise, withLabels);

        var (items, mask, histTasks, hist) = PadHistories(rows);
        var (queryIds, queryMask, q) = PadQueries(rows);
        var (labelValues, labelLength) = withLabels ? PadLabels(rows) : (null, 0);
        var targetItems = withLabels && !pointwise ? rows.Select(r => r.TargetItem).ToArray() : null;
        var queryVectors = Config.HasQueryVectors ? QueryVectors(requests) : null;
        var prompt = PromptBatch.Collate(rows.Select(r => r.Prompt).ToArray(), Vocabulary, device);
        return new GenSRBatch(
            prompt,
            tensor(items, batch, hist, dtype: ScalarType.Int64, device: device),
            tensor(mask, batch, hist, device: device),
            tensor(histTasks, batch, hist, dtype: ScalarType.Int64, device: device),
            tensor(rows.Select(r => r.Task).ToArray(), dtype: ScalarType.Int64, device: device),
            tensor(queryIds, batch, q, dtype: ScalarType.Int64, device: device),
            tensor(queryMask, batch, q, device: device),
            tensor(rows.Select(r => r.Candidate).ToArray(), dtype: ScalarType.Int64, device: device),
            pointwise,
            labelValues is null ? null : tensor(labelValues, batch, labelLength, dtype: ScalarType.Int64, device: device),
            targetItems is null ? null : tensor(targetItems, dtype: ScalarType.Int64, device: device),
            queryVectors is null ? null : tensor(queryVectors, batch, Config.QueryVectorDimension, device: device));
    }

    /// <summary>One request checked and turned into its prompt, truncated history, query tokens and label.</summary>
    private readonly record struct Row(RenderedPrompt Prompt, SrEvent[] History, int[] Query, long Task, long Candidate, int[]? Label, long TargetItem);

    private Row PrepareRow(GenSRRequest? r, int b, bool pointwise, bool withLabels)
    {
        if (r is null) throw new ArgumentException($"Request {b} is null.", "requests");
        if (r.IsPointwise != pointwise)
            throw new ArgumentException(
                $"Request {b} is {(r.IsPointwise ? "pointwise" : "generative")} but request 0 is not; a batch needs one mode.", "requests");
        if (r.Task is not (TaskKind.Recommendation or TaskKind.Search))
            throw new ArgumentException($"Request {b} has task {r.Task}; expected Recommendation or Search.", "requests");
        if (r.History is null) throw new ArgumentException($"Request {b} has a null history.", "requests");
        var query = r.Task == TaskKind.Search ? r.Query : null;
        if (r.Task == TaskKind.Search && string.IsNullOrWhiteSpace(query))
            throw new ArgumentException($"Request {b} is a search request without a query.", "requests");
        var start = Math.Max(0, r.History.Count - Config.MaxHistory);
        var history = new SrEvent[r.History.Count - start];
        for (var i = 0; i < history.Length; i++)
        {
            history[i] = r.History[start + i];
            CheckItem(history[i].ItemId, $"request {b} history event {start + i} item");
            if (history[i].Task is not (TaskKind.Recommendation or TaskKind.Search))
                throw new ArgumentException(
                    $"Request {b} history event {start + i} has task value {(int)history[i].Task}; expected Recommendation or Search.", "requests");
        }
        var queryTokens = query is null ? [] : Vocabulary.EncodeText(query);
        if (queryTokens.Length > Config.QueryTokens) queryTokens = queryTokens[..Config.QueryTokens];

        long candidate = 0;
        string? candidateText = null;
        if (pointwise)
        {
            var c = r.Candidate!.Value;
            CheckItem(c, $"request {b} candidate");
            candidate = c;
            candidateText = string.IsNullOrWhiteSpace(_titles[c]) ? "item" : _titles[c];
        }

        var promptItems = history.Length <= PromptHistoryItems ? history : history[(history.Length - PromptHistoryItems)..];
        var historyTokens = new IReadOnlyList<int>[promptItems.Length];
        for (var i = 0; i < promptItems.Length; i++) historyTokens[i] = _identifierTokens[promptItems[i].ItemId];
        var prompt =
            Renderer.Render(GenSRPromptTemplates.For(r.Task, pointwise, Config.HasQueryVectors), PromptValues.Create(historyTokens, query, candidateText));

        int[]? label = null;
        long targetItem = 0;
        if (withLabels)
        {
            if (pointwise)
            {
                if (r.Label is null) throw new ArgumentException($"Pointwise training request {b} has no label.", "requests");
                label = [r.Label.Value ? Vocabulary.YesId : Vocabulary.NoId, Vocabulary.EosId];
            }
            else
            {
                if (r.TargetItem is null) throw new ArgumentException($"Generative training request {b} has no target item.", "requests");
                CheckItem(r.TargetItem.Value, $"request {b} target item");
                label = TargetTokens(r.TargetItem.Value);
                targetItem = r.TargetItem.Value;
            }
        }
        return new Row(prompt, history, queryTokens, (long)r.Task, candidate, label, targetItem);
    }

    /// <summary>History item ids, mask and event tasks, row-major <c>[batch, longest history]</c> (at least one column).</summary>
    private static (long[] Items, bool[] Mask, long[] Tasks, int Length) PadHistories(Row[] rows)
    {
        var hist = Math.Max(1, rows.Max(r => r.History.Length));
        var items = new long[rows.Length * hist];
        var mask = new bool[rows.Length * hist];
        var tasks = new long[rows.Length * hist];
        for (var b = 0; b < rows.Length; b++)
        {
            var h = rows[b].History;
            for (var i = 0; i < h.Length; i++)
            {
                items[b * hist + i] = h[i].ItemId;
                mask[b * hist + i] = true;
                tasks[b * hist + i] = (long)h[i].Task;
            }
        }
        return (items, mask, tasks, hist);
    }

    /// <summary>Query token ids (padded with the pad id) and mask, row-major <c>[batch, longest query]</c> (at least one column).</summary>
    private (long[] Ids, bool[] Mask, int Length) PadQueries(Row[] rows)
    {
        var q = Math.Max(1, rows.Max(r => r.Query.Length));
        var ids = new long[rows.Length * q];
        var mask = new bool[rows.Length * q];
        Array.Fill(ids, Vocabulary.PadId);
        for (var b = 0; b < rows.Length; b++)
            for (var i = 0; i < rows[b].Query.Length; i++)
            {
                ids[b * q + i] = rows[b].Query[i];
                mask[b * q + i] = true;
            }
        return (ids, mask, q);
    }

    /// <summary>Label token ids, row-major <c>[batch, longest label]</c>, padded with the ignored label.</summary>
    private static (long[]? Values, int Length) PadLabels(Row[] rows)
    {
        var length = rows.Max(r => r.Label!.Length);
        var values = new long[rows.Length * length];
        Array.Fill(values, T5ForConditionalGeneration.IgnoreLabel);
        for (var b = 0; b < rows.Length; b++)
            for (var i = 0; i < rows[b].Label!.Length; i++) values[b * length + i] = rows[b].Label![i];
        return (values, length);
    }

    /// <summary>The query vectors of a batch, row-major <c>[batch, width]</c>: zeros for recommendation rows.</summary>
    private float[] QueryVectors(IReadOnlyList<GenSRRequest> requests)
    {
        var d = Config.QueryVectorDimension;
        var values = new float[requests.Count * d];
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in requests)
            if (r.Task == TaskKind.Search && !_queryVectors.ContainsKey(r.Query!) && seen.Add(r.Query!)) missing.Add(r.Query!);
        Dictionary<string, float[]>? fresh = null;
        if (missing.Count > 0)
        {
            using var encoded = QueryEncoder!.Encode(missing);
            using var cpu = encoded.to(ScalarType.Float32).cpu().contiguous();
            if (cpu.dim() != 2 || cpu.shape[0] != missing.Count || cpu.shape[1] != d)
                throw new InvalidOperationException(
                    $"The query encoder returned [{string.Join(", ", cpu.shape)}] for {missing.Count} queries; expected [{missing.Count}, {d}].");
            var flat = cpu.data<float>().ToArray();
            fresh = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var m = 0; m < missing.Count; m++)
            {
                var vector = flat.AsSpan(m * d, d).ToArray();
                fresh[missing[m]] = vector;
                if (_queryVectors.Count < QueryVectorMemory) _queryVectors.TryAdd(missing[m], vector);
            }
        }

        for (var b = 0; b < requests.Count; b++)
        {
            if (requests[b].Task != TaskKind.Search) continue;
            var query = requests[b].Query!;
            var vector = fresh is not null && fresh.TryGetValue(query, out var f) ? f : _queryVectors[query];
            vector.CopyTo(values.AsSpan(b * d, d));
        }
        return values;
    }

    private void CheckItem(int item, string what)
    {
        if ((uint)item >= (uint)Config.ItemCount)
            throw new ArgumentException($"Unknown {what} id {item}: the model knows items 0 … {Config.ItemCount - 1}.");
    }
}
