using GenSR.Core;
using GenSR.Unify;
using TorchSharp;

namespace GenSR.Evaluation;

/// <summary>
/// GenSR in the harness. Generative variants generate top-K lists with trie-constrained beam search (full ranking) and
/// score sampled candidates by the log-probability of their identifiers; the pointwise variant scores sampled
/// candidates by P(Yes). Training selects the best step on validation NDCG@10 (full ranking, generative) only.
/// </summary>
public sealed class GenSRSystem : ITopKGenerator, ICandidateScorer, ICatalogScorer, IComponentSystems
{
    private const int Chunk = 64;
    private int inferenceRows = 256;
    private readonly GenSRSystemOptions _options;
    private readonly Dictionary<TaskKind, (GenSRModel Model, GenSRInference Inference)> _models = [];

    private readonly bool _trained;
    private bool _trainingDone;
    private readonly List<string> _statistics = [];
    private readonly Dictionary<TaskKind, double> _fusionWeights = [];
    // While fusion weights are swept on validation, each batch's score parts are computed once and re-used for every weight.
    private Dictionary<(TaskKind, EvaluationCase, int), CatalogScores>? _partsCache;
    // After training, each case's final catalogue scores are kept (within a memory bound) so that the sampled protocol
    // reads the rows full ranking computed instead of scoring the catalogue again.
    private readonly Dictionary<(TaskKind, EvaluationCase), float[]> _rowCache = [];
    private long _rowCacheFloats;
    private const long RowCacheLimit = 1L << 28; // floats (1 GB)

    /// <summary>Creates an untrained system.</summary>
    public GenSRSystem(GenSRSystemOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    private GenSRSystem(GenSRSystemOptions options, GenSRModel model, GenSRInputBuilder builder) : this(options)
    {
        var inference = new GenSRInference(model, builder);
        _models[TaskKind.Recommendation] = (model, inference);
        _models[TaskKind.Search] = (model, inference);
        _trained = true;
    }

    /// <summary>A system over another's trained models (one inference per model), which it leaves to their owner.</summary>
    private GenSRSystem(GenSRSystemOptions options, IReadOnlyDictionary<TaskKind, (GenSRModel Model, GenSRInference Inference)> models) : this(options)
    {
        var inferences = new Dictionary<GenSRModel, GenSRInference>();
        foreach (var (task, (model, inference)) in models)
        {
            if (!inferences.TryGetValue(model, out var own)) inferences[model] = own = new GenSRInference(model, inference.Builder);
            _models[task] = (model, own);
        }

        _trained = true;
    }

    /// <summary>
    /// For a trained fused system: its two parts as systems of their own over the same weights, the exact generative
    /// likelihood (<c>": generative only"</c>, fusion at w = 0) and the dense head (<c>": dense only"</c>, w = +∞).
    /// Otherwise none.
    /// </summary>
    public IReadOnlyList<IEvaluatedSystem> Components()
    {
        if (_options.Ranking != GenSRRankingMode.Fused || _options.Pointwise || !(_trained || _trainingDone) || _models.Count == 0) return [];
        return
        [
            new GenSRSystem(_options with { Name = $"{Name}: generative only", Ranking = GenSRRankingMode.Exact }, _models),
            new GenSRSystem(_options with { Name = $"{Name}: dense only", Ranking = GenSRRankingMode.Dense }, _models),
        ];
    }

    /// <summary>
    /// An already trained GenSR model as an evaluated system, so that it is ranked by the same code as every other system
    /// (<see cref="ProtocolEvaluator"/>). <see cref="Train"/> then does nothing, and disposing the system leaves the model
    /// to its owner. With <paramref name="pointwise"/> it ranks sampled candidates by P(Yes) (sampled protocol only).
    /// </summary>
    /// <param name="name">Name in reports.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="pointwise">Score candidates by P(Yes) instead of the identifier's log-probability.</param>
    /// <param name="ranking">How the catalogue is ranked (see <see cref="GenSRRankingMode"/>).</param>
    /// <param name="denseWeights">With <see cref="GenSRRankingMode.Fused"/>: the dense weight w per task (missing tasks: 0, the generative ranking).</param>
    public static GenSRSystem FromTrained(string name, GenSRModel model, GenSRInputBuilder builder, bool pointwise = false,
                                          GenSRRankingMode ranking = GenSRRankingMode.BeamSearch, IReadOnlyDictionary<TaskKind, double>? denseWeights = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        var system = new GenSRSystem(
            new GenSRSystemOptions(name, new GenSRPipelineOptions(), new GenSRTrainingOptions(), Pointwise: pointwise, Ranking: ranking), model, builder);
        foreach (var (task, weight) in denseWeights ?? new Dictionary<TaskKind, double>())
            system._fusionWeights[task] = double.IsNaN(weight) || weight < 0
                ? throw new ArgumentOutOfRangeException(nameof(denseWeights), weight, $"The dense weight of {task} must be non-negative.")
                : weight;
        return system;
    }

    /// <summary>The options the system trains with.</summary>
    public GenSRSystemOptions Options => _options;

    /// <summary>
    /// Where LightGCN and the quantizer run, from the environment variable <c>GENSR_REPRESENTATION_DEVICE</c>
    /// (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>; <c>auto</c> or unset: the harness's device).
    /// </summary>
    public static torch.Device? RepresentationDevice =>
        Environment.GetEnvironmentVariable("GENSR_REPRESENTATION_DEVICE") is { Length: > 0 } text ? TorchRuntime.ParseDevice(text) : null;

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task is TaskKind.Recommendation or TaskKind.Search;

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(context);
        if (_trained) return SystemTrainingResult.NotTrained;
        var device = context.Device;
        var groups = _options.SeparateTasks
            ? new (IReadOnlyList<TaskKind> Tasks, TaskKind[] Serves)[]
            {
                (GenSRSystemOptions.Only(TaskKind.Recommendation), [TaskKind.Recommendation]), (GenSRSystemOptions.Only(TaskKind.Search), [TaskKind.Search])
            }
            : [(_options.Training.Tasks, new[] { TaskKind.Recommendation, TaskKind.Search })];
        var epochs = 0;
        var steps = 0;
        var scores = new List<double>();
        var stoppedEarly = false;
        var notes = new List<string>();
        var selected = 0;
        foreach (var (tasks, serves) in groups)
        {
            var prepared = GenSRPipeline.Prepare(split,
                _options.Pipeline with { Device = device, Seed = context.Seed, RepresentationDevice = RepresentationDevice ?? device },
                cancellationToken: context.CancellationToken);
            var inference = new GenSRInference(prepared.Model, prepared.Builder);
            if (context.Device.type == DeviceType.CUDA) inferenceRows = 4096; // pointwise prompts per call on a GPU
            foreach (var task in serves) _models[task] = (prepared.Model, inference);
            // Validation during training ranks through the harness, exactly as the test will (one evaluation path).
            var training = _options.Training with { Seed = context.Seed, Tasks = tasks };
            var validation = GenSRTrainer.ValidationSample(split.Validation, training);
            Dictionary<TaskKind, double>? bestWeights = null;
            string? bestSweep = null;
            var bestValidation = double.NegativeInfinity;
            var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, training)
            {
                Validator = _options.Pointwise ? null : _ =>
                {
                    var metrics = Validate(context, split, serves, validation);
                    var mean = metrics.Values.Average();
                    if (mean > bestValidation) (bestValidation, bestWeights, bestSweep) = (mean, new Dictionary<TaskKind, double>(_fusionWeights), LastSweep);
                    return metrics.ToDictionary(m => m.Key.ToString(), m => m.Value);
                },
            };
            var started = DateTime.UtcNow;
            double? bestScore = null;
            var bestEpoch = 0;
            var result = trainer.Train(split, context.Progress is null ? null : new SynchronousProgress<TrainingProgress>(p =>
            {
                // One line per validation (the per-step reports would flood the console).
                if (p.ValidationNdcg10 is not double score) return;
                if (bestScore is null || score > bestScore) (bestScore, bestEpoch) = (score, p.Epoch);
                context.Progress.Report(new SystemTrainingProgress(Name, p.Epoch, _options.Training.Epochs, p.LanguageModelLoss, score, bestScore, bestEpoch,
                    DateTime.UtcNow - started));
            }), context.CancellationToken);
            epochs = Math.Max(epochs, result.Epochs);
            steps += result.Steps;
            scores.Add(result.BestValidationNdcg10);
            stoppedEarly |= result.StoppedEarly;
            notes.Add($"{string.Join(" + ", tasks)}: {result.Steps} steps, stopped by {result.StopReason}, best validation at epoch {result.BestEpoch} (step " +
                $"{result.BestStep}), {result.Elapsed.TotalMinutes:F1} min");
            var conflicts = result.History.Where(h => h.GradientConflict is not null).Select(h => h.GradientConflict!.Value).ToArray();
            if (conflicts.Length > 0)
                notes.Add("gradient conflict (cosine of the search and recommendation gradients on the encoder's last block, dense mix λ = " +
                    $"{training.GradientConflictDenseMix:0.##}): " +
                    $"mean {conflicts.Average():F3} over {conflicts.Length} probes, first {conflicts[0]:F3}, last {conflicts[^1]:F3}");
            var byMix = result.History.Where(h => h.GradientConflictByDenseMix is not null).Select(h => h.GradientConflictByDenseMix!).ToArray();
            if (byMix.Length > 0)
                notes.Add("gradient conflict by dense mix λ, the same probes: " + string.Join(", ", byMix[0].Keys.Order().Select(mix =>
                {
                    var values = byMix.Select(m => m[mix]).ToArray();
                    return $"λ = {mix:0.##} mean {values.Average():F3}, first {values[0]:F3}, last {values[^1]:F3}";
                })));
            selected = Math.Max(selected, result.BestEpoch);
            // The trainer restored the best validated weights; use the fusion weights chosen at that validation.
            if (bestWeights is not null)
                foreach (var (task, weight) in bestWeights) _fusionWeights[task] = weight;
            if (_options.Ranking == GenSRRankingMode.Fused)
            {
                notes.Add("dense weight chosen on validation: " +
                    string.Join(", ", serves.Select(t => $"{t.ToString().ToLowerInvariant()} {WeightWords(FusionWeight(t))}")));
                if (bestSweep is not null) notes.Add($"validation {context.SelectionMetric} by dense weight at the selected step ({bestSweep})");
            }
            _statistics.Add(prepared.Describe());
        }

        _trainingDone = true;
        return new SystemTrainingResult(epochs, selected, scores.Average(),
            $"{context.SelectionMetric} (full ranking, {RankingWords}, validation)", stoppedEarly)
        {
            Note = $"{steps} steps; identifiers from {_options.Pipeline.IdentifierSource}" + (_options.SeparateTasks ? "; one model per task" : "") +
                   "; " + string.Join("; ", notes) + "; " + string.Join("; ", Statistics),
        };
    }

    /// <summary>The dense weight w of <see cref="GenSRRankingMode.Fused"/> ranking for <paramref name="task"/> (0 until chosen on validation).</summary>
    public double FusionWeight(TaskKind task) => _options.Ranking switch
    {
        GenSRRankingMode.Fused => _fusionWeights.GetValueOrDefault(task),
        _ => 0,
    };

    /// <inheritdoc />
    public bool RanksByCatalogScores => _options.Ranking != GenSRRankingMode.BeamSearch && !_options.Pointwise;

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        if (!RanksByCatalogScores) throw new NotSupportedException(
            $"{Name} ranks by {(_options.Pointwise ? "P(Yes) of candidates" : "beam search")}, not catalogue scores.");
        var items = For(task).Model.Config.ItemCount;
        for (var start = 0; start < cases.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, cases.Count - start);
            var chunk = cases.Skip(start).Take(count).ToArray();
            Rows(task, chunk, items).CopyTo(scores.Slice(start * items, count * items));
        }
    }

    /// <summary>Final scores of a chunk of cases, row-major; from the row cache when every case is there (test time only).</summary>
    private float[] Rows(TaskKind task, EvaluationCase[] chunk, int items)
    {
        var caching = _partsCache is null && (_trained || _trainingDone);
        if (caching && chunk.All(c => _rowCache.ContainsKey((task, c))))
            return chunk.SelectMany(c => _rowCache[(task, c)]).ToArray();
        var rows = Fuse(task, Parts(task, chunk));
        if (caching && _rowCacheFloats + rows.LongLength <= RowCacheLimit)
        {
            for (var i = 0; i < chunk.Length; i++) _rowCache[(task, chunk[i])] = rows.AsSpan(i * items, items).ToArray();
            _rowCacheFloats += rows.LongLength;
        }

        return rows;
    }

    /// <summary>
    /// Validation during training: full ranking through the harness, exactly as the test. For <see cref="GenSRRankingMode.Fused"/>,
    /// every weight of <see cref="GenSRSystemOptions.FusionWeights"/> is evaluated (the score parts are computed once) and
    /// the best per task is kept. Returns the selection metric per task.
    /// </summary>
    private Dictionary<TaskKind, double> Validate(EvaluationContext context, DatasetSplit split, IReadOnlyList<TaskKind> tasks,
        IReadOnlyList<EvaluationCase> cases)
    {
        if (_options.Ranking != GenSRRankingMode.Fused)
            return context.EvaluateValidation(this, split, tasks, cases).ToDictionary(m => m.Task, m => m[context.SelectionMetric]);
        _partsCache = [];
        try
        {
            var best = tasks.ToDictionary(t => t, _ => (Score: double.NegativeInfinity, Weight: 0.0));
            var sweep = tasks.ToDictionary(t => t, _ => new List<string>());
            foreach (var weight in GenSRSystemOptions.FusionWeights)
            {
                foreach (var task in tasks) _fusionWeights[task] = weight;
                foreach (var metrics in context.EvaluateValidation(this, split, tasks, cases))
                {
                    var value = metrics[context.SelectionMetric];
                    sweep[metrics.Task].Add($"{WeightWords(weight)} {value:F4}");
                    if (value > best[metrics.Task].Score) best[metrics.Task] = (value, weight);
                }
            }

            foreach (var (task, (_, weight)) in best) _fusionWeights[task] = weight;
            LastSweep = string.Join("; ", sweep.Select(s => $"{s.Key.ToString().ToLowerInvariant()}: {string.Join(", ", s.Value)}"));
            return best.ToDictionary(b => b.Key, b => b.Value.Score);
        }
        finally
        {
            _partsCache = null;
        }
    }

    /// <summary>The validation score of every dense weight at the last fused validation, in words (null before one).</summary>
    public string? LastSweep { get; private set; }

    private static string WeightWords(double weight) => weight switch
    {
        0 => "w=0 (generative only)",
        double.PositiveInfinity => "dense only",
        _ => $"w={weight:0.###}",
    };

    private string RankingWords => _options.Ranking switch
    {
        GenSRRankingMode.BeamSearch => "generative, beam search",
        GenSRRankingMode.Exact => $"exact generative likelihood, {_options.Normalization.ToString().ToLowerInvariant()} normalisation",
        GenSRRankingMode.Dense => "dense head",
        _ => $"exact generative likelihood ({_options.Normalization.ToString().ToLowerInvariant()} normalisation) + w · dense, w per task on validation",
    };

    private CatalogScores Parts(TaskKind task, EvaluationCase[] chunk)
    {
        var key = (task, chunk[0], chunk.Length);
        if (_partsCache is not null && _partsCache.TryGetValue(key, out var cached)) return cached;
        var generative = _options.Ranking is GenSRRankingMode.Exact or GenSRRankingMode.Fused;
        var dense = _options.Ranking is GenSRRankingMode.Dense or GenSRRankingMode.Fused;
        var parts = For(task).ScoreCatalog(chunk.Select(c => Request(c, task)).ToArray(), generative, dense, _options.Normalization);
        if (_partsCache is not null) _partsCache[key] = parts;
        return parts;
    }

    private float[] Fuse(TaskKind task, CatalogScores parts) => parts.For(_options.Ranking, FusionWeight(task));

    /// <summary>Identifier and representation statistics of each trained model, in words (filled by <see cref="Train"/>).</summary>
    public IReadOnlyList<string> Statistics => _statistics;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<int>> Generate(TaskKind task, IReadOnlyList<EvaluationCase> cases, GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(request);
        if (_options.Pointwise) throw new NotSupportedException($"{Name} ranks candidate lists only.");
        var inference = For(task);
        var extra = request.ExcludedItems is null ? 0 : 20;
        var beams = Math.Max(20, request.ListLength + extra);
        var result = new List<IReadOnlyList<int>>(cases.Count);
        for (var start = 0; start < cases.Count; start += Chunk)
        {
            var chunk = cases.Skip(start).Take(Chunk).ToArray();
            var generated = inference.Generate(chunk.Select(c => Request(c, task)).ToArray(), beams, beams);
            for (var i = 0; i < chunk.Length; i++)
            {
                var excluded = request.ExcludedItems?[start + i];
                result.Add(generated[i].Select(s => s.Item).Where(item => excluded is null || !excluded.Contains(item)).Take(request.ListLength).ToArray());
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void ScoreCandidates(TaskKind task, IReadOnlyList<EvaluationCase> cases, ReadOnlySpan<int> candidates, int candidatesPerCase, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var inference = For(task);
        if (RanksByCatalogScores)
        {
            // The same scores as full ranking, read at the candidates.
            var items = inference.Model.Config.ItemCount;
            for (var start = 0; start < cases.Count; start += Chunk)
            {
                var count = Math.Min(Chunk, cases.Count - start);
                var fused = Rows(task, cases.Skip(start).Take(count).ToArray(), items);
                for (var i = 0; i < count; i++)
                    for (var j = 0; j < candidatesPerCase; j++)
                        scores[(start + i) * candidatesPerCase + j] = fused[i * items + candidates[(start + i) * candidatesPerCase + j]];
            }

            return;
        }

        var perCall = _options.Pointwise ? Math.Max(1, inferenceRows / candidatesPerCase) : Chunk / 2;
        for (var start = 0; start < cases.Count; start += perCall)
        {
            var count = Math.Min(perCall, cases.Count - start);
            var lists = new int[count][];
            for (var i = 0; i < count; i++) lists[i] = candidates.Slice((start + i) * candidatesPerCase, candidatesPerCase).ToArray();
            if (_options.Pointwise)
            {
                var requests = new List<GenSRRequest>(count * candidatesPerCase);
                for (var i = 0; i < count; i++)
                    foreach (var item in lists[i]) requests.Add(Request(cases[start + i], task) with { Candidate = item });
                inference.ScorePointwise(requests).CopyTo(scores.Slice(start * candidatesPerCase, count * candidatesPerCase));
            }
            else
            {
                var rows = inference.ScoreGenerative(Enumerable.Range(start, count).Select(i => Request(cases[i], task)).ToArray(), lists);
                for (var i = 0; i < count; i++) rows[i].CopyTo(scores.Slice((start + i) * candidatesPerCase, candidatesPerCase));
            }
        }
    }

    /// <summary>Releases the models.</summary>
    public void Dispose()
    {
        foreach (var (model, inference) in _models.Values.Distinct())
        {
            inference.Dispose();
            if (!_trained) model.Dispose(); // a model given to FromTrained belongs to the caller
        }

        _models.Clear();
    }

    private static GenSRRequest Request(EvaluationCase c, TaskKind task) => new(c.History, task, task == TaskKind.Search ? c.Query : null);

    private GenSRInference For(TaskKind task) =>
        _models.TryGetValue(task, out var m) ? m.Inference : throw new InvalidOperationException($"{Name} has not been trained for {task}.");
}
