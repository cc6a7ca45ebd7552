using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// The discriminative joint baseline (<see cref="JointSearchRecModel"/>, JSR / UniSAR family) for both tasks. Trained
/// jointly with softmax cross-entropy over the catalogue: every training event is a recommendation target of the state
/// before it, and every training search event is also a search target with its query. Early-stopped on the mean of
/// validation NDCG@10 over both tasks under full ranking.
/// </summary>
public sealed class JointSearchRecSystem : ICatalogScorer
{
    private JointSearchRecModel? _model;
    private Tensor? _itemWords;
    private QueryWordEncoder? _queries;
    private Device? _device;

    /// <summary>Creates the system.</summary>
    /// <param name="options">Hyper-parameters; defaults when null.</param>
    public JointSearchRecSystem(JointModelOptions? options = null)
    {
        Options = options ?? new JointModelOptions();
        Options.Validate();
    }

    /// <summary>The hyper-parameters.</summary>
    public JointModelOptions Options { get; }

    /// <inheritdoc />
    public string Name => "Joint S&R Transformer";

    /// <summary>The trained model, available after <see cref="Train"/>.</summary>
    /// <exception cref="InvalidOperationException">The system was not trained.</exception>
    public JointSearchRecModel Model => _model ?? throw new InvalidOperationException("The joint model has not been trained.");

    /// <inheritdoc />
    public bool Supports(TaskKind task) => Enum.IsDefined(task);

    /// <inheritdoc />
    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(context);
        DisposeModel();
        _device = context.Device;
        TorchRuntime.Seed(context.Seed);
        var catalog = split.Dataset.Catalog;
        var windows = TrainingWindows.Build(split, Options.MaxLength);

        // Words of item texts and of training queries only: validation and test queries add nothing the model could learn.
        var itemTexts = catalog.Select(TextWords.OfItem).ToArray();
        var trainingQueries = windows.InputQueries.Concat(windows.TargetQueries).OfType<string>().Distinct(StringComparer.Ordinal)
                                     .Select(TextWords.Split);
        var vocabulary = new WordVocabulary(itemTexts.Concat(trainingQueries));
        _queries = new QueryWordEncoder(vocabulary, Options.MaxQueryWords);
        var itemWords = new long[catalog.Count * Options.MaxItemWords];
        for (var i = 0; i < catalog.Count; i++)
        {
            var ids = vocabulary.Encode(itemTexts[i], Options.MaxItemWords);
            for (var w = 0; w < ids.Length; w++) itemWords[i * Options.MaxItemWords + w] = ids[w];
        }
        using (NewDisposeScope())
            _itemWords = SequenceTensors.Of(itemWords, [catalog.Count, Options.MaxItemWords], _device).DetachFromDisposeScope();

        var model = new JointSearchRecModel(catalog.Count, vocabulary.Count, Options);
        model.to(_device);
        _model = model;
        var length = windows.Length;
        var searchTask = SequenceIds.Task(TaskKind.Search);
        var itemWordsTensor = _itemWords;
        var queries = _queries;

        Tensor ComputeLoss(int[] rows)
        {
            var items = SequenceTensors.Rows(windows.InputItems, length, rows, _device);
            var tasks = SequenceTensors.Rows(windows.InputTasks, length, rows, _device);
            var historyQueries = QueryTensor(queries, SequenceTensors.Rows(windows.InputQueries, length, rows), rows.Length, length);
            var targets = SequenceTensors.Rows(windows.TargetItems, length, rows, _device).view(-1);
            var table = model.ItemTable(itemWordsTensor);
            var candidates = table.narrow(0, 1, catalog.Count);
            var states = model.forward(items, tasks, historyQueries, table);
            var d = Options.HiddenSize;

            var real = targets.GeScalar(0).nonzero().squeeze(1);
            var recommendation = model.RecommendationVectors(states).view(-1, d).index_select(0, real);
            var loss = nn.functional.cross_entropy(recommendation.matmul(candidates.t()), targets.index_select(0, real), reduction: nn.Reduction.Sum);
            long targetCount = real.shape[0];

            // Search targets are counted on the host from the managed arrays, so no device synchronisation is needed.
            var searchCount = rows.Sum(r => windows.TargetTasks.AsSpan(r * length, length).Count(searchTask));
            if (searchCount > 0 && Options.SearchLossWeight > 0)
            {
                var targetQueries = QueryTensor(queries, SequenceTensors.Rows(windows.TargetQueries, length, rows), rows.Length, length);
                var targetTasks = SequenceTensors.Rows(windows.TargetTasks, length, rows, _device).view(-1);
                var searchPositions = targetTasks.EqScalar(searchTask).nonzero().squeeze(1);
                var search = model.SearchVectors(states, items, targetQueries).view(-1, d).index_select(0, searchPositions);
                var searchLoss =
                    nn.functional.cross_entropy(search.matmul(candidates.t()), targets.index_select(0, searchPositions), reduction: nn.Reduction.Sum);
                loss = loss.Plus(searchLoss.MulScalar(Options.SearchLossWeight));
                targetCount += searchCount;
            }
            return loss.DivScalar(Math.Max(1, targetCount));
        }

        double Validate() => context.SelectionScore(context.EvaluateValidation(this, split));

        return SequenceModelTraining.Run(Name, model, windows.Count, Options.Training, ComputeLoss, Validate, context);
    }

    /// <inheritdoc />
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var model = Model;
        if (!Enum.IsDefined(task)) throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var length = Options.MaxLength;
            var window = HistoryWindow.FromCases(cases, length);
            var items = SequenceTensors.Of(window.Items, [cases.Count, length], _device!);
            var tasks = SequenceTensors.Of(window.Tasks, [cases.Count, length], _device!);
            var historyQueries = QueryTensor(_queries!, window.Queries, cases.Count, length);
            var table = model.ItemTable(_itemWords!);
            var states = model.forward(items, tasks, historyQueries, table);
            Tensor vectors;
            if (task == TaskKind.Recommendation)
            {
                vectors = model.RecommendationVectors(states.select(1, length - 1));
            }
            else
            {
                // The case's query sits at the last position: the search for the event after the whole history.
                var targetQueries = new string?[cases.Count * length];
                for (var row = 0; row < cases.Count; row++) targetQueries[row * length + length - 1] = cases[row].Query;
                var queryWords = QueryTensor(_queries!, targetQueries, cases.Count, length);
                vectors = model.SearchVectors(states, items, queryWords).select(1, length - 1);
            }
            SequenceTensors.CopyTo(vectors.matmul(table.narrow(0, 1, model.ItemCount).t()), scores);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private Tensor QueryTensor(QueryWordEncoder encoder, string?[] queries, int rows, int length) =>
        SequenceTensors.Of(encoder.Encode(queries), [rows, length, encoder.MaxWords], _device!);

    private void DisposeModel()
    {
        _model?.Dispose();
        _itemWords?.Dispose();
        _model = null;
        _itemWords = null;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeModel();
}
