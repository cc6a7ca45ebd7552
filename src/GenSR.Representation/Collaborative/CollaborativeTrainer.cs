using GenSR.Core;
using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Trains a <see cref="CollaborativeModel"/> with the BPR loss (Rendle et al., UAI 2009):
/// <c>−log σ(ŷ_ui − ŷ_uj)</c> for every training pair (u, i) and one sampled negative j per pair and epoch, plus
/// λ·½(‖e_u⁰‖² + ‖e_i⁰‖² + ‖e_j⁰‖²)/batch on the batch's layer-0 embeddings (LightGCN, Eq. 15), optimised with Adam in
/// mini-batches. Validation Recall@K (full ranking, training items excluded) drives early stopping with patience; the
/// model ends up holding the best evaluation's weights. Everything runs on the model's device.
/// </summary>
public sealed class CollaborativeTrainer : IDisposable
{
    private readonly CollaborativeModel _model;
    private readonly InteractionGraph _graph;
    private readonly Device _device;
    private readonly Generator _generator;
    private readonly Tensor _pairUsers;
    private readonly Tensor _pairItems;
    private readonly NegativeSampler _sampler;
    private readonly FullRankingEvaluator? _evaluator;
    private readonly Adam _optimizer;
    private bool _disposed;

    /// <summary>Prepares training of <paramref name="model"/> on <paramref name="graph"/>.</summary>
    /// <param name="model">The model; its user and item counts must match the graph.</param>
    /// <param name="graph">Training pairs (at least one).</param>
    /// <param name="validation">Per-user held-out items for early stopping, or <c>null</c> to train
    /// <see cref="CollaborativeTrainingOptions.MaxEpochs"/> epochs.</param>
    /// <param name="options">Optimisation settings; defaults when null.</param>
    /// <exception cref="ArgumentException">Counts of the model, graph and targets disagree, or the graph has no pairs.</exception>
    public CollaborativeTrainer(CollaborativeModel model, InteractionGraph graph, ValidationTargets? validation = null,
        CollaborativeTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        if (model.UserCount != graph.UserCount || model.ItemCount != graph.ItemCount)
            throw new ArgumentException(
                $"The model has {model.UserCount} users × {model.ItemCount} items but the graph has {graph.UserCount} × {graph.ItemCount}.", nameof(graph));
        if (graph.PairCount == 0) throw new ArgumentException("The graph has no training pairs.", nameof(graph));
        Options = options ?? new CollaborativeTrainingOptions();
        _model = model;
        _graph = graph;
        _device = model.Device;
        _generator = new Generator((ulong)Options.Seed, _device);

        var users = graph.PairUsers();
        var items = graph.Items.ToArray();
        _pairUsers = ToDevice(Array.ConvertAll(users, u => (long)u));
        _pairItems = ToDevice(Array.ConvertAll(items, i => (long)i));
        _sampler = new NegativeSampler(graph, Options.NegativeResamplingRounds, _generator, _device);
        if (validation is { EvaluableUserCount: > 0 })
            _evaluator = new FullRankingEvaluator(graph, validation, Options.RecallK, _device, Options.EvaluationBatchSize);
        _optimizer = new HeldScalarAdam(model.parameters(), Options.LearningRate);
    }

    /// <summary>The optimisation settings.</summary>
    public CollaborativeTrainingOptions Options { get; }

    /// <summary>Number of epochs run so far (by <see cref="RunEpoch"/> or <see cref="Train"/>).</summary>
    public int EpochsRun { get; private set; }

    /// <summary>Whether validation targets are available (otherwise there is no early stopping).</summary>
    public bool HasValidation => _evaluator is not null;

    /// <summary>One pass over all training pairs in a seeded random order, one negative per pair.</summary>
    /// <returns>The mean loss (BPR + L2 term) per pair.</returns>
    public double RunEpoch(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _model.train();
        var pairCount = _graph.PairCount;
        var batchSize = Options.BatchSize;
        var l2 = Options.L2Weight;
        using var order = randperm(pairCount, ScalarType.Int64, _device, generator: _generator);
        using var lossSum = zeros(1, ScalarType.Float64, _device);
        for (var start = 0; start < pairCount; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, pairCount - start);
            var batch = order.narrow(0, start, length);
            var users = _pairUsers.index_select(0, batch);
            var positives = _pairItems.index_select(0, batch);
            var negatives = _sampler.Sample(users);

            var scores = _model.forward(users, stack(new[] { positives, negatives }, 1)); // [batch, 2]
            var bpr = -nn.functional.logsigmoid(scores[.., 0].Minus(scores[.., 1])).mean();
            var (egoUsers, egoItems) = _model.EgoEmbeddings;
            var regularizer = egoUsers.index_select(0, users).Squared().sum()
                .Plus(egoItems.index_select(0, positives).Squared().sum())
                .Plus(egoItems.index_select(0, negatives).Squared().sum()).MulScalar(0.5 / length);
            var loss = bpr.Plus(regularizer.MulScalar(l2));

            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
            lossSum.PlusInPlace(loss.detach().to(ScalarType.Float64).MulScalar(length));
        }
        EpochsRun++;
        return lossSum.item<double>() / pairCount;
    }

    /// <summary>Validation Recall@K of the model's current embeddings (full ranking, training items excluded).</summary>
    /// <exception cref="InvalidOperationException">No validation targets were given.</exception>
    public double Evaluate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_evaluator is null) throw new InvalidOperationException(
            "No validation targets were given (or none of the users has one), so there is nothing to evaluate.");
        _model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (users, items) = _model.ComputeEmbeddings();
        return _evaluator.Recall(users, items);
    }

    /// <summary>Recall@K of the most-popular baseline on the same validation targets (for comparison).</summary>
    /// <exception cref="InvalidOperationException">No validation targets were given.</exception>
    public double EvaluatePopularity()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _evaluator?.PopularityRecall() ?? throw new InvalidOperationException("No validation targets were given.");
    }

    /// <summary>
    /// Trains until <see cref="CollaborativeTrainingOptions.MaxEpochs"/> or until validation Recall@K has not improved for
    /// <see cref="CollaborativeTrainingOptions.Patience"/> evaluations, then restores the best evaluation's weights.
    /// </summary>
    /// <param name="progress">Receives one report per epoch.</param>
    /// <param name="cancellationToken">Stops training between mini-batches (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The best epoch's user and item embeddings and the history.</returns>
    public CollaborativeTrainingResult Train(IProgress<CollaborativeTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        var losses = new List<double>();
        var validations = new List<CollaborativeValidationPoint>();
        var bestEpoch = 0;
        var stoppedEarly = false;
        using var best = new BestWeights(Options.Patience);
        for (var epoch = 1; epoch <= Options.MaxEpochs; epoch++)
        {
            var epochStart = clock.Elapsed;
            var loss = RunEpoch(cancellationToken);
            losses.Add(loss);
            var pairsPerSecond = _graph.PairCount / Math.Max(1e-9, (clock.Elapsed - epochStart).TotalSeconds);

            double? recall = null;
            if (_evaluator is not null && (epoch % Options.EvaluateEvery == 0 || epoch == Options.MaxEpochs))
            {
                recall = Evaluate();
                validations.Add(new CollaborativeValidationPoint(epoch, recall.Value));
                switch (best.Observe(recall.Value, EgoWeights))
                {
                    case ValidationOutcome.Improved:
                        bestEpoch = epoch;
                        break;
                    case ValidationOutcome.PatienceExhausted:
                        stoppedEarly = true;
                        break;
                }
            }
            progress?.Report(new CollaborativeTrainingProgress(epoch, Options.MaxEpochs, loss, recall, best.Score, bestEpoch, pairsPerSecond, clock.Elapsed));
            if (stoppedEarly) break;
        }

        if (best.HasWeights) best.Restore(EgoWeights());
        else bestEpoch = EpochsRun;

        _model.eval();
        EmbeddingMatrix userMatrix, itemMatrix;
        using (no_grad())
        using (NewDisposeScope())
        {
            var (users, items) = _model.ComputeEmbeddings();
            userMatrix = EmbeddingMatrix.FromTensor(users);
            itemMatrix = EmbeddingMatrix.FromTensor(items);
        }
        var history = new CollaborativeTrainingHistory(losses, validations, _evaluator?.K ?? Options.RecallK);
        return new CollaborativeTrainingResult(
            new ItemEmbeddings(itemMatrix, IdentifierSource.Collaborative, _model.Label), userMatrix, history,
            bestEpoch, best.Score, losses.Count, stoppedEarly, clock.Elapsed);
    }

    /// <summary>The trained tensors whose best values early stopping keeps: the users' and items' layer-0 embeddings.</summary>
    private IEnumerable<(string Name, Tensor Tensor)> EgoWeights()
    {
        var (users, items) = _model.EgoEmbeddings;
        return [("users", users), ("items", items)];
    }

    private Tensor ToDevice(long[] values)
    {
        using var cpu = tensor(values, ScalarType.Int64);
        return cpu.to(_device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _optimizer.Dispose();
        _evaluator?.Dispose();
        _sampler.Dispose();
        _pairUsers.Dispose();
        _pairItems.Dispose();
        _generator.Dispose();
    }
}
