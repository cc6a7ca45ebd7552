using System.Globalization;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// SASRec (Kang &amp; McAuley, ICDM 2018) as a recommendation baseline: trained on the item sequence of every user's
/// training part (search and recommendation events alike, task ignored), early-stopped on validation NDCG@10 under full
/// ranking (optionally choosing the dropout rate the same way), then scores the whole catalogue from the last history state.
/// </summary>
public sealed class SasRecSystem : ICatalogScorer
{
    private SasRecModel? _model;
    private Device? _device;

    /// <summary>Creates the system.</summary>
    /// <param name="options">Hyper-parameters; the paper's defaults when null.</param>
    /// <param name="dropoutChoices">
    /// Dropout rates to train with in turn, keeping the model with the best validation NDCG@10 (e.g. the paper's 0.2 for
    /// MovieLens-1M and 0.5 for its sparser datasets); <c>null</c> trains once with <see cref="SasRecOptions.Dropout"/>.
    /// </param>
    /// <exception cref="ArgumentException">The options are inconsistent, or the choices are empty or hold a rate outside [0, 1).</exception>
    public SasRecSystem(SasRecOptions? options = null, IReadOnlyList<double>? dropoutChoices = null)
    {
        Options = options ?? new SasRecOptions();
        Options.Validate();
        if (dropoutChoices is { Count: 0 }) throw new ArgumentException("Give at least one dropout rate to choose from.", nameof(dropoutChoices));
        DropoutChoices = dropoutChoices?.Distinct().ToArray() ?? [Options.Dropout];
        foreach (var rate in DropoutChoices)
            if (rate is not (>= 0 and < 1))
                throw new ArgumentException($"Dropout choice {rate} is outside [0, 1).", nameof(dropoutChoices));
    }

    /// <summary>The hyper-parameters (<see cref="SasRecOptions.Dropout"/> is replaced by each of <see cref="DropoutChoices"/>).</summary>
    public SasRecOptions Options { get; }

    /// <summary>The dropout rates trained with; validation NDCG@10 picks one.</summary>
    public IReadOnlyList<double> DropoutChoices { get; }

    /// <inheritdoc />
    public string Name => "SASRec";

    /// <summary>The trained model, available after <see cref="Train"/>.</summary>
    /// <exception cref="InvalidOperationException">The system was not trained.</exception>
    public SasRecModel Model => _model ?? throw new InvalidOperationException("SASRec has not been trained.");

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task == TaskKind.Recommendation;

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(context);
        _model?.Dispose();
        _model = null;
        _device = context.Device;
        var windows = TrainingWindows.Build(split, Options.MaxLength);
        SasRecModel? bestModel = null;
        SystemTrainingResult? best = null;
        var outcomes = new List<string>();
        try
        {
            foreach (var dropout in DropoutChoices)
            {
                var result = TrainOnce(split, context, windows, Options with { Dropout = dropout });
                outcomes.Add(string.Create(CultureInfo.InvariantCulture, $"{dropout:0.##}: {result.ValidationScore:F4}"));
                if (best is null || result.ValidationScore > best.ValidationScore)
                {
                    bestModel?.Dispose();
                    (bestModel, best) = (_model, result);
                }
                else
                {
                    _model!.Dispose();
                }
                _model = null;
            }
        }
        catch
        {
            _model?.Dispose();
            bestModel?.Dispose();
            throw;
        }
        _model = bestModel;
        if (DropoutChoices.Count == 1) return best!;
        return best! with
        {
            Note = string.Create(CultureInfo.InvariantCulture,
                $"dropout {_model!.Options.Dropout:0.##} chosen on validation {context.SelectionMetric} ({string.Join(", ", outcomes)})"),
        };
    }

    private SystemTrainingResult TrainOnce(DatasetSplit split, EvaluationContext context, TrainingWindows windows, SasRecOptions options)
    {
        TorchRuntime.Seed(context.Seed);
        var itemCount = split.Dataset.Catalog.Count;
        var device = _device!;
        var model = new SasRecModel(itemCount, options);
        model.to(device);
        _model = model;
        using var generator = new Generator((ulong)context.Seed, device);
        var length = windows.Length;

        Tensor ComputeLoss(int[] rows)
        {
            var items = SequenceTensors.Rows(windows.InputItems, length, rows, device);
            var targets = SequenceTensors.Rows(windows.TargetItems, length, rows, device).view(-1);
            var states = model.forward(items);
            var real = targets.GeScalar(0).nonzero().squeeze(1);
            var selected = states.view(-1, options.HiddenSize).index_select(0, real);
            var positives = targets.index_select(0, real);
            if (options.Loss == SasRecLoss.SoftmaxCrossEntropy)
                return nn.functional.cross_entropy(model.ScoreItems(selected), positives);
            var negatives = randint(0, itemCount, [positives.shape[0]], ScalarType.Int64, device, generator: generator);
            var weights = model.ItemWeights;
            var positiveLogits = (selected * weights.index_select(0, positives)).sum(-1);
            var negativeLogits = (selected * weights.index_select(0, negatives)).sum(-1);
            return nn.functional.binary_cross_entropy_with_logits(positiveLogits, ones_like(positiveLogits))
                   .Plus(nn.functional.binary_cross_entropy_with_logits(negativeLogits, zeros_like(negativeLogits)));
        }

        double Validate() => context.SelectionScore(context.EvaluateValidation(this, split));

        var name = DropoutChoices.Count == 1 ? Name : string.Create(CultureInfo.InvariantCulture, $"{Name} (dropout {options.Dropout:0.##})");
        return SequenceModelTraining.Run(name, model, windows.Count, options.Training, ComputeLoss, Validate, context);
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var model = Model;
        if (task != TaskKind.Recommendation) throw new NotSupportedException("SASRec serves the recommendation task only.");
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var window = HistoryWindow.FromCases(cases, Options.MaxLength);
            var items = SequenceTensors.Of(window.Items, [cases.Count, Options.MaxLength], _device!);
            var last = model.forward(items).select(1, Options.MaxLength - 1);
            SequenceTensors.CopyTo(model.ScoreItems(last), scores);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _model?.Dispose();
}
