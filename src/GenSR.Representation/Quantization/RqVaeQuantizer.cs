using System.Diagnostics;
using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// RQ-VAE identifiers as in TIGER (Rajput et al., "Recommender Systems with Generative Retrieval", NeurIPS 2023): an MLP
/// encoder maps item vectors to a latent space, residual vector quantisation (codebooks initialised by k-means on the
/// first batch, commitment weight β, straight-through gradients) turns each latent into one code per level, and an MLP
/// decoder reconstructs the input; the loss is reconstruction MSE + quantisation loss. Codebook utilisation (perplexity per
/// level) and dead codes are measured every epoch, and dead codes are re-seeded from the residuals of the current batch.
/// Collisions are resolved as configured, so the table is always collision-free.
/// </summary>
public sealed class RqVaeQuantizer : IItemQuantizer
{
    private const int KMeansInitIterations = 50;
    private const int EncodeBatchSize = 8192;

    private RqVaeQuantizer(RqVaeOptions options) => Options = options;

    /// <summary>Creates the quantizer.</summary>
    /// <param name="options">Architecture, training and collision settings; TIGER's defaults when null.</param>
    public static RqVaeQuantizer Create(RqVaeOptions? options = null) => new(options ?? new RqVaeOptions());

    /// <summary>The settings.</summary>
    public RqVaeOptions Options { get; }

    /// <inheritdoc />
    public string Name => "rq-vae";

    /// <summary>Codes per level used for <paramref name="itemCount"/> items: <c>min(CodebookSize, max(2, ⌊items / MinItemsPerCode⌋), items)</c>.</summary>
    public int EffectiveCodebookSize(int itemCount) => CodebookSizing.Effective(itemCount, Options.CodebookSize, Options.MinItemsPerCode);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are no items.</exception>
    public ItemQuantization Quantize(ItemEmbeddings embeddings, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.ItemCount == 0) throw new ArgumentException("There are no items to quantise.", nameof(embeddings));
        var clock = Stopwatch.StartNew();
        var device = TorchRuntime.Resolve(Options.Device);
        var n = embeddings.ItemCount;
        var k = EffectiveCodebookSize(n);
        var levels = Options.Levels;

        using var scope = NewDisposeScope();
        using var initGenerator = new Generator(unchecked((ulong)Options.Seed), CPU);
        using var model = new RqVae(embeddings.Dimension, Options, k, initGenerator);
        model.to(device);
        using var generator = new Generator(unchecked((ulong)(Options.Seed * 1_000_003L + 1)), device);
        using var optimizer = new HeldScalarAdam(model.parameters(), Options.LearningRate);
        var points = embeddings.ToTensor(device);

        var history = new List<QuantizerEpochStatistics>();
        bool[][]? deadAfterLastEpoch = null;
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            history.Add(RunEpoch(model, optimizer, points, generator, epoch, k, ref deadAfterLastEpoch, cancellationToken));
            progress?.Report(new QuantizationProgress("training", epoch, Options.Epochs, history[^1].Loss));
        }

        model.eval();
        var (codesTensor, lastInput, lastCodebook, statistics, reconstructionMse, codebooks) = EncodeAll(model, points, k);
        var codes = ResidualKMeansQuantizer.ToCodes(codesTensor);
        var rawCodes = codes.Select(c => (IReadOnlyList<int>)c.ToArray()).ToArray();
        var rawCollisions = CollisionReport.Measure(rawCodes);
        var (resolved, sizes, resolution) = CollisionResolver.Resolve(codes, Enumerable.Repeat(k, levels).ToArray(), Options.Collisions,
            items => ResidualKMeansQuantizer.SquaredDistances(lastInput, lastCodebook, items));
        var table = new IdentifierTable(resolved, sizes);
        return new ItemQuantization(Name, embeddings.Source, table, rawCodes, rawCollisions, resolution, statistics, codebooks,
            reconstructionMse, history, clock.Elapsed);
    }

    private QuantizerEpochStatistics RunEpoch(
        RqVae model, torch.optim.Optimizer optimizer, Tensor points, Generator generator, int epoch, int k, ref bool[][]? dead,
        CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        model.train();
        var n = points.shape[0];
        var levels = Options.Levels;
        var order = randperm(n, ScalarType.Int64, points.device, generator: generator);
        var usage = zeros(new long[] { levels, k }, ScalarType.Int64, points.device);
        var lossSum = zeros(3, ScalarType.Float64, points.device); // total, reconstruction, quantisation
        var batches = 0;
        var reseeded = 0;
        for (long start = 0; start < n; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var batch = points.index_select(0, order.narrow(0, start, Math.Min(Options.BatchSize, n - start)));
            if (epoch == 1 && start == 0)
            {
                // k-means initialisation on the first batch (TIGER); a batch smaller than the codebook is widened to enough rows.
                var rows = Math.Min(n, Math.Max(Options.BatchSize, k));
                using (no_grad())
                    model.Quantizer.InitializeByKMeans(model.Encode(points.index_select(0, order.narrow(0, 0, rows))), generator,
                        KMeansInitIterations, cancellationToken);
            }
            else if (start == 0 && dead is not null && Options.ReseedDeadCodes)
            {
                using (no_grad()) reseeded = model.Quantizer.ReseedDeadCodes(model.Encode(batch), dead, generator);
            }

            var (reconstruction, codes, quantizationLoss) = model.forward(batch);
            var reconstructionLoss = nn.functional.mse_loss(reconstruction, batch);
            var loss = reconstructionLoss.Plus(quantizationLoss);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            using (no_grad())
            {
                for (var l = 0; l < levels; l++) usage[l].PlusInPlace(codes[.., l].bincount(null, k));
                lossSum.PlusInPlace(stack(new[] { loss.detach(), reconstructionLoss.detach(), quantizationLoss.detach() }).to(ScalarType.Float64));
            }
            batches++;
        }

        var counts = usage.cpu().data<long>().ToArray();
        var sums = lossSum.cpu().data<double>().ToArray();
        var perplexity = new double[levels];
        var deadCounts = new int[levels];
        dead = new bool[levels][];
        for (var l = 0; l < levels; l++)
        {
            var levelCounts = counts.AsSpan(l * k, k).ToArray();
            perplexity[l] = CodebookLevelStatistics.PerplexityOf(levelCounts);
            dead[l] = levelCounts.Select(c => c == 0).ToArray();
            deadCounts[l] = dead[l].Count(d => d);
        }
        return new QuantizerEpochStatistics(epoch, sums[0] / batches, sums[1] / batches, sums[2] / batches, perplexity, deadCounts, reseeded);
    }

    private (Tensor Codes, Tensor LastInput, Tensor LastCodebook, List<CodebookLevelStatistics> Statistics, double ReconstructionMse,
        ResidualCodebooks Codebooks)
        EncodeAll(RqVae model, Tensor points, int k)
    {
        using var noGrad = no_grad();
        var n = points.shape[0];
        var levels = Options.Levels;
        var codeChunks = new List<Tensor>();
        var lastInputs = new List<Tensor>();
        var residualSquares = zeros(levels, ScalarType.Float64, points.device);
        var reconstructionSquares = zeros(1, ScalarType.Float64, points.device);
        for (long start = 0; start < n; start += EncodeBatchSize)
        {
            var batch = points.narrow(0, start, Math.Min(EncodeBatchSize, n - start));
            var z = model.Encode(batch);
            var (codes, inputs, quantized) = model.Quantizer.Encode(z);
            codeChunks.Add(codes);
            lastInputs.Add(inputs[^1]);
            for (var l = 0; l < levels; l++)
            {
                var after = l + 1 < levels ? inputs[l + 1] : inputs[l].Minus(model.Quantizer.Codebook(l).index_select(0, codes[.., l]));
                residualSquares[l].PlusInPlace(after.Squared().sum().to(ScalarType.Float64));
            }
            reconstructionSquares.PlusInPlace(model.Decode(quantized).sub(batch).Squared().sum().to(ScalarType.Float64));
        }
        var allCodes = cat(codeChunks, 0);
        var squares = residualSquares.cpu().data<double>().ToArray();
        var latentElements = (double)n * Options.LatentDim;
        var statistics = new List<CodebookLevelStatistics>();
        var codebooks = new List<EmbeddingMatrix>();
        for (var l = 0; l < levels; l++)
        {
            var counts = allCodes[.., l].bincount(null, k).cpu().data<long>().ToArray();
            statistics.Add(
                new CodebookLevelStatistics(l, k, counts.Count(c => c > 0), CodebookLevelStatistics.PerplexityOf(counts), squares[l] / latentElements));
            codebooks.Add(EmbeddingMatrix.FromTensor(model.Quantizer.Codebook(l)));
        }
        var reconstructionMse = reconstructionSquares.item<double>() / ((double)n * points.shape[1]);
        return (allCodes, cat(lastInputs, 0), model.Quantizer.Codebook(levels - 1).detach().clone(), statistics, reconstructionMse,
            new ResidualCodebooks(codebooks));
    }
}
