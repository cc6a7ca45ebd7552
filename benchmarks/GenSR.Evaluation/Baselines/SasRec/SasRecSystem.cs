using GenSR.Core.Data;
using GenSR.Core.Data.Splits;
using GenSR.Core.Runtime;
using GenSR.Evaluation.Baselines.Sequences;
using GenSR.Evaluation.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Evaluation.Baselines.SasRec;

/// <summary>
/// SASRec (Kang &amp; McAuley, ICDM 2018) as a recommendation baseline: trained on the item sequence of every user's
/// training part (search and recommendation events alike, task ignored), early-stopped on validation NDCG@10 under full
/// ranking, then scores the whole catalogue from the last history state.
/// </summary>
public sealed class SasRecSystem : ICatalogueScorer
{
    private SasRecModel? _model;
    private Device? _device;

    /// <summary>Creates the system.</summary>
    /// <param name="options">Hyper-parameters; the paper's defaults when null.</param>
    public SasRecSystem(SasRecOptions? options = null)
    {
        Options = options ?? new SasRecOptions();
        Options.Validate();
    }

    /// <summary>The hyper-parameters.</summary>
    public SasRecOptions Options { get; }

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
        _device = context.Device;
        TorchRuntime.Seed(context.Seed);
        var itemCount = split.Dataset.Catalog.Count;
        var model = new SasRecModel(itemCount, Options);
        model.to(_device);
        _model = model;
        var windows = TrainingWindows.Build(split, Options.MaxLength);
        using var generator = new Generator((ulong)context.Seed, _device);
        var length = windows.Length;

        Tensor ComputeLoss(int[] rows)
        {
            var items = SequenceTensors.Rows(windows.InputItems, length, rows, _device);
            var targets = SequenceTensors.Rows(windows.TargetItems, length, rows, _device).view(-1);
            var states = model.forward(items);
            var real = targets.ge(0).nonzero().squeeze(1);
            var selected = states.view(-1, Options.HiddenSize).index_select(0, real);
            var positives = targets.index_select(0, real);
            if (Options.Loss == SasRecLoss.SoftmaxCrossEntropy)
                return nn.functional.cross_entropy(model.ScoreItems(selected), positives);
            var negatives = randint(0, itemCount, [positives.shape[0]], ScalarType.Int64, _device, generator: generator);
            var weights = model.ItemWeights;
            var positiveLogits = (selected * weights.index_select(0, positives)).sum(-1);
            var negativeLogits = (selected * weights.index_select(0, negatives)).sum(-1);
            return nn.functional.binary_cross_entropy_with_logits(positiveLogits, ones_like(positiveLogits))
                   + nn.functional.binary_cross_entropy_with_logits(negativeLogits, zeros_like(negativeLogits));
        }

        double Validate() => context.SelectionScore(context.EvaluateValidation(this, split));

        return SequenceModelTraining.Run(Name, model, windows.Count, Options.Training, ComputeLoss, Validate, context);
    }

    /// <inheritdoc />
    public void ScoreCatalogue(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
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
