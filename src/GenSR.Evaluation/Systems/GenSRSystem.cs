using GenSR.Core.Data;
using GenSR.Core.Data.Splits;
using GenSR.Core.Runtime;
using GenSR.Evaluation.Harness;
using GenSR.Unify.Inference;
using GenSR.Unify.Model;
using GenSR.Unify.Pipeline;
using GenSR.Unify.Training;
using TorchSharp;

namespace GenSR.Evaluation.Systems;

/// <summary>
/// GenSR in the harness. Generative variants generate top-K lists with trie-constrained beam search (full ranking) and
/// score sampled candidates by the log-probability of their identifiers; the pointwise variant scores sampled
/// candidates by P(Yes). Training selects the best step on validation NDCG@10 (full ranking, generative) only.
/// </summary>
public sealed class GenSRSystem : ITopKGenerator, ICandidateScorer
{
    private const int Chunk = 64;
    private int inferenceRows = 256;
    private readonly GenSRSystemOptions _options;
    private readonly Dictionary<TaskKind, (GenSRModel Model, GenSRInference Inference)> _models = [];

    private readonly bool _trained;
    private readonly List<string> _statistics = [];

    /// <summary>Creates an untrained system.</summary>
    public GenSRSystem(GenSRSystemOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    private GenSRSystem(GenSRSystemOptions options, GenSRModel model, GenSRInputBuilder builder) : this(options)
    {
        var inference = new GenSRInference(model, builder);
        _models[TaskKind.Recommendation] = (model, inference);
        _models[TaskKind.Search] = (model, inference);
        _trained = true;
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
    public static GenSRSystem FromTrained(string name, GenSRModel model, GenSRInputBuilder builder, bool pointwise = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        return new GenSRSystem(new GenSRSystemOptions(name, new GenSRPipelineOptions(), new GenSRTrainingOptions(), Pointwise: pointwise), model, builder);
    }

    /// <summary>The options the system trains with.</summary>
    public GenSRSystemOptions Options => _options;

    /// <summary>
    /// Where LightGCN and the quantizer run, from the environment variable <c>GENSR_REPRESENTATION_DEVICE</c>
    /// (<c>cpu</c>, <c>cuda</c>, <c>auto</c>); unset: the harness's device.
    /// </summary>
    public static ComputeDevice? RepresentationDevice =>
        Environment.GetEnvironmentVariable("GENSR_REPRESENTATION_DEVICE") is { Length: > 0 } text ? TorchRuntime.Parse(text) : null;

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
        var device = context.Device.type == DeviceType.CUDA ? ComputeDevice.Cuda : ComputeDevice.Cpu;
        var groups = _options.SeparateTasks
            ? new (IReadOnlyList<TaskKind> Tasks, TaskKind[] Serves)[] { (GenSRSystemOptions.Only(TaskKind.Recommendation), [TaskKind.Recommendation]), (GenSRSystemOptions.Only(TaskKind.Search), [TaskKind.Search]) }
            : [(_options.Training.Tasks, new[] { TaskKind.Recommendation, TaskKind.Search })];
        var epochs = 0;
        var steps = 0;
        var scores = new List<double>();
        var stoppedEarly = false;
        var notes = new List<string>();
        var selected = 0;
        foreach (var (tasks, serves) in groups)
        {
            var prepared = GenSRPipeline.Prepare(split, _options.Pipeline with { Device = device, Seed = context.Seed, RepresentationDevice = RepresentationDevice ?? device },
                cancellationToken: context.CancellationToken);
            var inference = new GenSRInference(prepared.Model, prepared.Builder);
            if (context.Device.type == DeviceType.CUDA) inferenceRows = 4096; // pointwise prompts per call on a GPU
            foreach (var task in serves) _models[task] = (prepared.Model, inference);
            // Validation during training ranks through the harness, exactly as the test will (one evaluation path).
            var training = _options.Training with { Seed = context.Seed, Tasks = tasks };
            var validation = GenSRTrainer.ValidationSample(split.Validation, training);
            var trainer = new GenSRTrainer(prepared.Model, prepared.Builder, prepared.ItemKeys, training)
            {
                Validator = _options.Pointwise ? null : _ => context.EvaluateValidation(this, split, serves, validation)
                    .ToDictionary(m => m.Task.ToString(), m => m[context.SelectionMetric]),
            };
            var started = DateTime.UtcNow;
            double? bestScore = null;
            var bestEpoch = 0;
            var result = trainer.Train(split, context.Progress is null ? null : new ForwardProgress(p =>
            {
                // One line per validation (the per-step reports would flood the console).
                if (p.ValidationNdcg10 is not double score) return;
                if (bestScore is null || score > bestScore) (bestScore, bestEpoch) = (score, p.Epoch);
                context.Progress.Report(new SystemTrainingProgress(Name, p.Epoch, _options.Training.Epochs, p.LanguageModelLoss, score, bestScore, bestEpoch, DateTime.UtcNow - started));
            }), context.CancellationToken);
            epochs = Math.Max(epochs, result.Epochs);
            steps += result.Steps;
            scores.Add(result.BestValidationNdcg10);
            stoppedEarly |= result.StoppedEarly;
            notes.Add($"{string.Join(" + ", tasks)}: {result.Steps} steps, stopped by {result.StopReason}, best validation at epoch {result.BestEpoch} (step {result.BestStep}), {result.Elapsed.TotalMinutes:F1} min");
            selected = Math.Max(selected, result.BestEpoch);
            _statistics.Add(prepared.Describe());
        }

        return new SystemTrainingResult(epochs, selected, scores.Average(), $"{context.SelectionMetric} (full ranking, generative, validation)", stoppedEarly)
        {
            Note = $"{steps} steps; identifiers from {_options.Pipeline.IdentifierSource}" + (_options.SeparateTasks ? "; one model per task" : "") +
                   "; " + string.Join("; ", notes) + "; " + string.Join("; ", Statistics),
        };
    }

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

    private sealed class ForwardProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
