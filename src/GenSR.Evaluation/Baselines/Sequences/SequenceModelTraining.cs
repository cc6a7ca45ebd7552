using System.Diagnostics;
using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Evaluation;

/// <summary>
/// The epoch loop of the sequential baselines: seeded shuffling of the training windows, Adam, one validation
/// evaluation per epoch through the harness (<see cref="EvaluationContext.EvaluateValidation"/>), early stopping with
/// patience, and the best epoch's weights restored at the end. Test cases are never seen.
/// </summary>
internal static class SequenceModelTraining
{
    /// <summary>Trains <paramref name="model"/>.</summary>
    /// <param name="systemName">For progress reports.</param>
    /// <param name="model">The model; left in eval mode holding the best epoch's weights.</param>
    /// <param name="windowCount">Number of training windows.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="computeLoss">The mean loss of the given windows, a scalar tensor created in the caller's dispose scope.</param>
    /// <param name="validate">The validation selection score of the model's current weights (higher is better).</param>
    /// <param name="context">Seed, progress and cancellation.</param>
    public static SystemTrainingResult Run(
        string systemName, nn.Module model, int windowCount, SequenceTrainingOptions options,
        Func<int[], Tensor> computeLoss, Func<double> validate, EvaluationContext context)
    {
        if (windowCount == 0)
            throw new InvalidOperationException($"{systemName}: the training part has no user with two or more events, so there is nothing to learn from.");
        var clock = Stopwatch.StartNew();
        var random = TorchRuntime.CreateRandom(context.Seed, stream: 17);
        var order = Enumerable.Range(0, windowCount).ToArray();
        var device = model.parameters().First().device;
        using var optimizer = new HeldScalarAdam(model.parameters(), options.LearningRate, 0.9, options.Beta2, 1e-8, options.WeightDecay);
        using var best = new BestWeights(options.Patience);
        var bestEpoch = 0;
        var stoppedEarly = false;
        var epochs = 0;
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            model.train();
            random.Shuffle(order);
            double lossSum = 0;
            var batches = 0;
            using (var lossTotal = zeros(1, ScalarType.Float64, device))
            {
                for (var start = 0; start < windowCount; start += options.BatchSize)
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var indices = order.AsSpan(start, Math.Min(options.BatchSize, windowCount - start)).ToArray();
                    var loss = computeLoss(indices);
                    optimizer.zero_grad();
                    loss.backward();
                    if (options.GradientClip is { } clip) nn.utils.clip_grad_norm_(model.parameters(), clip);
                    optimizer.step();
                    // Accumulated on the device and read once per epoch: no host synchronisation per step.
                    lossTotal.PlusInPlace(loss.detach().to(ScalarType.Float64));
                    batches++;
                }
                lossSum = lossTotal.item<double>();
            }
            epochs = epoch;

            model.eval();
            var score = validate();
            switch (best.Observe(score, () => BestWeights.Of(model)))
            {
                case ValidationOutcome.Improved:
                    bestEpoch = epoch;
                    break;
                case ValidationOutcome.PatienceExhausted:
                    stoppedEarly = true;
                    break;
            }
            context.Progress?.Report(new SystemTrainingProgress(systemName, epoch, options.MaxEpochs, lossSum / Math.Max(1, batches),
                                                                score, best.Score, bestEpoch, clock.Elapsed));
            if (stoppedEarly) break;
        }
        best.Restore(BestWeights.Of(model));
        model.eval();
        return new SystemTrainingResult(epochs, bestEpoch, best.Score, context.SelectionMetric, stoppedEarly);
    }
}
