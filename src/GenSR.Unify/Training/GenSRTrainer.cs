using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Trains a <see cref="GenSRModel"/> on one shuffled stream of mixed rows (<see cref="PlanEpoch"/>: every event a
/// recommendation row, search events also search rows, optional indexing and Yes/No rows), with
/// <c>L = L_LM + λ·L_CL</c>, AdamW (decay on weights with ≥ 2 dimensions only), linear warm-up then the
/// <see cref="GenSRTrainingOptions.Schedule"/>, and gradient clipping. Validates on the validation cases under the test
/// protocol (full ranking, seen items excluded, generative, NDCG@10 averaged over the tasks) or through
/// <see cref="Validator"/>, stops early or at a step or time budget, keeps the best weights (in memory and, with a
/// checkpoint folder, in <c>best/</c>) and can resume from <c>last/</c>. Cancelling throws
/// <see cref="OperationCanceledException"/> between steps after putting the best weights back; checkpoints already
/// written stay intact.
/// </summary>
public sealed partial class GenSRTrainer
{
    private const string OptimizerFileName = "optimizer.bin";

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The model to train (on its device).</param>
    /// <param name="builder">Its input builder.</param>
    /// <param name="itemKeys">External key of every item (written into checkpoints).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="logger">Where the run's start, every validation (score, best, patience) and its end are logged; null:
    /// nowhere (progress still goes to the <c>IProgress</c> given to <see cref="Train"/>).</param>
    public GenSRTrainer(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<string> itemKeys, GenSRTrainingOptions? options = null,
                        ILogger? logger = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Builder = builder ?? throw new ArgumentNullException(nameof(builder));
        ItemKeys = itemKeys ?? throw new ArgumentNullException(nameof(itemKeys));
        Options = options ?? new GenSRTrainingOptions();
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    private readonly ILogger _logger;

    /// <summary>The model.</summary>
    public GenSRModel Model { get; }

    /// <summary>The input builder.</summary>
    public GenSRInputBuilder Builder { get; }

    /// <summary>Item keys for checkpoints.</summary>
    public IReadOnlyList<string> ItemKeys { get; }

    /// <summary>The options.</summary>
    public GenSRTrainingOptions Options { get; }

    /// <summary>
    /// The training rows of one epoch in their shuffled order, as batches (deterministic in seed and epoch). Every training
    /// example is a recommendation row (the next item given the history, whatever the event's task); a search event with a
    /// query is also a search row; <see cref="GenSRTrainingOptions.IndexingFraction"/> adds indexing rows and
    /// <see cref="GenSRTrainingOptions.PointwiseFraction"/> Yes/No rows. Rows of tasks not in
    /// <see cref="GenSRTrainingOptions.Tasks"/> are left out.
    /// </summary>
    public IReadOnlyList<GenSRRequest[]> PlanEpoch(DatasetSplit split, int epoch)
    {
        ArgumentNullException.ThrowIfNull(split);
        var random = TorchRuntime.CreateRandom(Options.Seed, epoch);
        var recommendation = Options.Tasks.Contains(TaskKind.Recommendation);
        var search = Options.Tasks.Contains(TaskKind.Search);
        var generative = new List<GenSRRequest>();
        var pointwise = new List<GenSRRequest>();
        var items = Model.Config.ItemCount;

        void Add(GenSRRequest row)
        {
            generative.Add(row);
            if (Options.PointwiseFraction > 0 && random.NextDouble() < Options.PointwiseFraction)
            {
                var target = row.TargetItem!.Value;
                var positive = random.NextDouble() < 0.5 || items < 2;
                var candidate = target;
                if (!positive)
                    while (candidate == target) candidate = random.Next(items);
                pointwise.Add(row with { Candidate = candidate, Label = positive });
            }
        }

        foreach (var example in split.TrainingExamples)
        {
            var target = example.Target.ItemId;
            if (recommendation) Add(new GenSRRequest(example.History, TaskKind.Recommendation, TargetItem: target));
            var query = example.Target.Task == TaskKind.Search ? example.Target.Query : null;
            if (search && !string.IsNullOrWhiteSpace(query)) Add(new GenSRRequest(example.History, TaskKind.Search, query, TargetItem: target));
        }

        if (search && Options.IndexingFraction > 0)
        {
            var whole = (int)Math.Floor(Options.IndexingFraction);
            var part = Options.IndexingFraction - whole;
            foreach (var item in split.Dataset.Catalog)
            {
                var text = IndexingQuery(item);
                if (text.Length == 0) continue;
                var rows = whole + (part > 0 && random.NextDouble() < part ? 1 : 0);
                for (var r = 0; r < rows; r++) generative.Add(new GenSRRequest([], TaskKind.Search, text, TargetItem: item.Id));
            }
        }

        Shuffle(generative, random);
        Shuffle(pointwise, random);
        var batches = (Options.BucketByLength ? Bucketed(generative) : Chunk(generative)).Concat(Chunk(pointwise)).ToList();
        Shuffle(batches, random);
        return batches;
    }

    /// <summary>Rows sorted by history length within pools of <see cref="BucketPoolBatches"/> batches of the shuffled order, then cut into batches.</summary>
    private IEnumerable<GenSRRequest[]> Bucketed(List<GenSRRequest> rows)
    {
        var pool = Options.BatchSize * BucketPoolBatches;
        var cap = Model.Config.MaxHistory;
        for (var start = 0; start < rows.Count; start += pool)
        {
            var part = rows.GetRange(start, Math.Min(pool, rows.Count - start));
            // A stable sort: rows of equal length keep their shuffled order.
            var sorted = part.OrderBy(r => Math.Min(r.History.Count, cap)).ToList();
            foreach (var batch in Chunk(sorted)) yield return batch;
        }
    }

    /// <summary>Batches per pool of <see cref="GenSRTrainingOptions.BucketByLength"/>.</summary>
    public const int BucketPoolBatches = 50;

    /// <summary>
    /// The query of an item's indexing row: its title, brand and category words (<see cref="Item.Text"/>), lower-cased, at
    /// most <see cref="IndexingQueryWords"/> words; empty when the item has no text.
    /// </summary>
    public static string IndexingQuery(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var words = item.Text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take(IndexingQueryWords));
    }

    /// <summary>Most words of an indexing query (long titles are cut, so indexing rows cost no more than search rows).</summary>
    public const int IndexingQueryWords = 24;

    /// <summary>Loss of one batch: (total, language-model part, contrastive part or null). The caller disposes the total.</summary>
    public (Tensor Total, double LanguageModel, double? Contrastive) ComputeLoss(GenSRBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var output = Model.Forward(batch);
        var lm = T5ForConditionalGeneration.ComputeLoss(output.Logits, batch.Labels!);
        var total = lm;
        double? contrastive = null;
        if (Options.ContrastiveWeight > 0 && output.CollaborativeUser is not null && output.SemanticUser is not null && batch.Count >= 2)
        {
            var cl = SymmetricInfoNce.Compute(output.CollaborativeUser, output.SemanticUser, Options.Temperature);
            contrastive = cl.item<float>();
            total = lm.Plus(cl.MulScalar(Options.ContrastiveWeight));
        }

        if (Options.DenseWeight > 0 && output.DenseScores is not null && batch.TargetItems is not null)
        {
            var dense = nn.functional.cross_entropy(output.DenseScores, batch.TargetItems);
            total = total.Plus(dense.MulScalar(Options.DenseWeight));
        }

        return (total.MoveToOuterDisposeScope(), lm.item<float>(), contrastive);
    }

    /// <summary>
    /// Replaces the built-in validation (<see cref="Validate"/>): called at every validation with the model in eval mode,
    /// it returns NDCG@10 per task (the score is their mean). The evaluation harness sets it so that model selection ranks
    /// exactly as its test does. Null (default): the built-in validation.
    /// </summary>
    public Func<CancellationToken, IReadOnlyDictionary<string, double>>? Validator { get; init; }

    /// <summary>
    /// The pipeline's new-item index (<see cref="GenSRPrepared.NewItems"/>), saved beside every checkpoint the trainer
    /// writes so that a recommender loaded from it can add items; null saves none. The trainer does not dispose it.
    /// </summary>
    public NewItemIndex? NewItems { get; init; }

    /// <summary>
    /// Trains on <paramref name="split"/>'s training examples, validating on its validation cases, until the epoch cap,
    /// early stopping, <see cref="GenSRTrainingOptions.MaxSteps"/> or <see cref="GenSRTrainingOptions.MaxDuration"/>.
    /// The model holds the best validated weights afterwards, also when <paramref name="cancellationToken"/> cancels the
    /// run (the <see cref="OperationCanceledException"/> is still thrown).
    /// </summary>
    public GenSRTrainingResult Train(DatasetSplit split, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Dataset.Catalog.Count != Model.Config.ItemCount)
            throw new ArgumentException(
                $"The split's catalogue has {split.Dataset.Catalog.Count} items but the model was built for {Model.Config.ItemCount}.", nameof(split));
        using var run = new TrainingRun(this, split, progress, cancellationToken);
        return run.Execute();
    }

    /// <summary>
    /// The validation cases a trainer with these options uses: all of them, or, with
    /// <see cref="GenSRTrainingOptions.ValidationCases"/> below their count, a sample drawn with the training seed (the same
    /// at every validation, in the cases' order).
    /// </summary>
    public static IReadOnlyList<EvaluationCase> ValidationSample(IReadOnlyList<EvaluationCase> cases, GenSRTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ValidationCases is not int cap || cap >= cases.Count) return cases;
        var random = TorchRuntime.CreateRandom(options.Seed, -1);
        var order = Enumerable.Range(0, cases.Count).ToArray();
        random.Shuffle(order);
        return order.Take(cap).Order().Select(i => cases[i]).ToArray();
    }

    /// <summary>AdamW with weight decay on matrices only; TorchSharp's update with its scalars held during each native call.</summary>
    private HeldScalarAdamW CreateOptimizer(Parameter[] trainable) => new(
    [
        new AdamW.ParamGroup(trainable.Where(p => p.dim() >= 2), Options.LearningRate, 0.9, 0.999, 1e-8, Options.WeightDecay, false, false),
        new AdamW.ParamGroup(trainable.Where(p => p.dim() < 2), Options.LearningRate, 0.9, 0.999, 1e-8, 0.0, false, false),
    ], Options.LearningRate);

    /// <summary>One optimisation step on one batch: forward, loss, backward, clipping, update. Returns the losses.</summary>
    private (double LanguageModel, double? Contrastive) OptimizationStep(GenSRRequest[] requests, HeldScalarAdamW optimizer, Parameter[] trainable)
    {
        using var scope = NewDisposeScope();
        using var batch = Builder.Build(requests, Model.Device, withLabels: true);
        optimizer.zero_grad();
        var (total, lm, cl) = ComputeLoss(batch);
        total.backward();
        nn.utils.clip_grad_norm_(trainable, Options.MaxGradNorm);
        optimizer.step();
        return (lm, cl);
    }

    /// <summary>Saves the model as <c>best/</c> under <paramref name="folder"/>.</summary>
    private void SaveBest(string folder, JsonObject state) =>
        GenSRCheckpoint.Save(Path.Combine(folder, "best"), Model, Builder, ItemKeys, state, NewItems?.SidecarFiles());

    /// <summary>Saves the model and the optimizer's state as <c>last/</c> under <paramref name="folder"/>, to resume from.</summary>
    private void SaveLast(string folder, JsonObject state, HeldScalarAdamW optimizer) =>
        GenSRCheckpoint.Save(Path.Combine(folder, "last"), Model, Builder, ItemKeys, state,
            new Dictionary<string, Action<string>>(NewItems?.SidecarFiles() ?? new Dictionary<string, Action<string>>())
            {
                [OptimizerFileName] = path => optimizer.save_state_dict(path),
            });

    private IReadOnlyDictionary<string, double> RunValidation(GenSRInference inference, IReadOnlyList<EvaluationCase> validation, DatasetSplit split,
        CancellationToken cancellationToken)
    {
        Model.eval();
        if (Validator is null) return Validate(inference, validation, split, cancellationToken);
        var byTask = Validator(cancellationToken);
        if (byTask is null || byTask.Count == 0 || byTask.Values.Any(v => !double.IsFinite(v)))
            throw new InvalidOperationException("GenSRTrainer.Validator returned no scores or a score that is not finite.");
        return byTask;
    }

    /// <summary>
    /// Validation NDCG@10 per trained task under the test protocol: full ranking by trie-constrained beam search with
    /// <see cref="GenSRTrainingOptions.ValidationBeams"/> beams, the items the user saw before the target excluded, and a
    /// target outside the generated list a miss.
    /// </summary>
    public IReadOnlyDictionary<string, double> Validate(GenSRInference inference, IReadOnlyList<EvaluationCase> cases, DatasetSplit? split = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(cases);
        var result = new Dictionary<string, double>();
        var acc = new MetricsAccumulator();
        foreach (var task in Options.Tasks)
        {
            // Search leaves out cases without a query (a target item without any words).
            var taskCases = task == TaskKind.Search ? cases.Where(c => c.HasQuery).ToArray() : cases;
            if (taskCases.Count == 0) continue;
            acc.Add(task, GenSREvaluator.RankFull(inference, taskCases, task, Options.ValidationBeams, 64, excludeSeen: true, split: split,
                cancellationToken: cancellationToken));
            result[task.ToString()] = acc.Compute(task).Get(RankingMetric.Ndcg, 10);
        }

        return result;
    }

    /// <summary>
    /// The probe on one batch: the cosine at the configured dense mix, and with a dense head also at λ = 0, 0.5 and 1 (one
    /// forward pass per task serves every λ, so the extra values cost one gradient per task); null without rows of both tasks.
    /// </summary>
    private (double Conflict, IReadOnlyDictionary<double, double>? ByDenseMix)? MeasureConflict(IReadOnlyList<GenSRRequest[]> batches, int index)
    {
        var rows = batches[index];
        var search = rows.Where(r => r.Task == TaskKind.Search && !r.IsPointwise).ToArray();
        var rec = rows.Where(r => r.Task == TaskKind.Recommendation && !r.IsPointwise).ToArray();
        if (search.Length == 0 || rec.Length == 0) return null;
        var configured = Options.GradientConflictDenseMix;
        var dense = Model.Config.HasDenseHead;
        double[] mixes = dense ? [.. new[] { 0, 0.5, 1, configured }.Distinct().Order()] : [configured];
        var byMix = mixes.Zip(GradientConflictProbe.MeasureByDenseMix(Model, Builder, search, rec, mixes)).ToDictionary(p => p.First, p => p.Second);
        return (byMix[configured], dense ? byMix : null);
    }

    /// <summary>The learning rate of 0-based step <paramref name="step"/> (warm-up, then <see cref="GenSRTrainingOptions.Schedule"/>).</summary>
    public double LearningRateAt(int step, int totalSteps)
    {
        var peak = Options.LearningRate;
        var warmup = Options.WarmupSteps;
        if (warmup > 0 && step < warmup) return peak * (step + 1) / warmup;
        switch (Options.Schedule)
        {
            case LearningRateSchedule.Constant:
                return peak;
            case LearningRateSchedule.InverseSquareRoot:
                var pivot = Math.Max(warmup, 100);
                return step < pivot ? peak : peak * Math.Sqrt((double)pivot / (step + 1));
            default:
                var decay = Math.Max(1, totalSteps - warmup);
                return peak * Math.Max(0.0, (double)(totalSteps - step) / decay);
        }
    }

    private static JsonObject State(int step, int epoch, int batchesDone, double best, int bestStep, int bad) => new()
    {
        ["step"] = step,
        ["epoch"] = epoch,
        ["batches_done_in_epoch"] = batchesDone,
        ["best_validation_ndcg10"] = double.IsFinite(best) ? best : -1.0,
        ["best_step"] = bestStep,
        ["validations_without_improvement"] = bad,
    };

    private (int Step, int Epoch, int Skip, double Best, int BestStep, int Bad) Resume(string folder, AdamW optimizer)
    {
        using var checkpoint = GenSRCheckpoint.Load(folder);
        var state = checkpoint.Extra
            ?? throw new InvalidDataException($"\"{folder}\" holds no training state; resume from a \"last\" checkpoint written by the trainer.");
        var optimizerPath = Path.Combine(GenSRCheckpoint.ResolveFolder(folder), OptimizerFileName);
        if (!File.Exists(optimizerPath)) throw new FileNotFoundException(
            $"\"{folder}\" has no {OptimizerFileName}; resume from a \"last\" checkpoint written by the trainer.", optimizerPath);
        var weights = checkpoint.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        GenSRCheckpoint.LoadState(Model, weights, folder);
        try
        {
            optimizer.load_state_dict(optimizerPath);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"{optimizerPath}: the optimizer state cannot be read ({e.Message}); resume from an intact \"last\" checkpoint or train from the start.", e);
        }
        int Int(string name) => state[name] is JsonValue v && v.TryGetValue<int>(out var i)
            ? i
            : throw new InvalidDataException($"\"{folder}\": training state \"{name}\" is missing.");
        var best = state["best_validation_ndcg10"] is JsonValue bv && bv.TryGetValue<double>(out var d) && d >= 0 ? d : double.NegativeInfinity;
        return (Int("step"), Int("epoch"), Int("batches_done_in_epoch"), best, Int("best_step"), Int("validations_without_improvement"));
    }

    private IEnumerable<GenSRRequest[]> Chunk(List<GenSRRequest> rows)
    {
        for (var i = 0; i < rows.Count; i += Options.BatchSize)
        {
            var n = Math.Min(Options.BatchSize, rows.Count - i);
            if (n < 2 && i > 0) yield break; // a single leftover row gives no in-batch negatives; it is dropped this epoch
            yield return rows.GetRange(i, n).ToArray();
        }
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
