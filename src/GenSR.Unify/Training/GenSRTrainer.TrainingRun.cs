using Microsoft.Extensions.Logging;
using System.Diagnostics;
using GenSR.Core;
using TorchSharp.Modules;
using TorchSharp;

namespace GenSR.Unify;

public sealed partial class GenSRTrainer
{
    /// <summary>
    /// One call of <see cref="Train"/>: the plan, the optimiser, the best weights and the counters, with the loop split at
    /// its seams (one optimisation step; then, when due, validation and checkpoints).
    /// </summary>
    private sealed class TrainingRun : IDisposable
    {
        private readonly GenSRTrainer _trainer;
        private readonly DatasetSplit _split;
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly CancellationToken _cancellationToken;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Parameter[] _trainable;
        private readonly HeldScalarAdamW _optimizer;
        private readonly IReadOnlyList<EvaluationCase> _validation;
        // A split without validation cases (LeaveOneOutSplit.AllForTraining) trains to its epoch or step budget and keeps
        // the final weights: no early stopping, no best-weights selection.
        private readonly bool _validating;
        private readonly int _stepsPerEpoch;
        private readonly int _totalSteps;
        private readonly int _plannedSteps;
        private readonly int _startEpoch = 1;
        private readonly int _skipBatches;
        private readonly BestWeights _best;
        private readonly GenSRInference _inference;
        private readonly List<TrainingProgress> _history = [];
        private int _step;
        private int _bestStep;
        private int _bestEpoch;
        private TrainingStopReason? _stop;

        public TrainingRun(GenSRTrainer trainer, DatasetSplit split, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            _trainer = trainer;
            _split = split;
            _progress = progress;
            _cancellationToken = cancellationToken;
            var options = trainer.Options;
            TorchRuntime.Seed(options.Seed);
            trainer.Model.UsePrecision(options.Precision);
            _trainable = trainer.Model.parameters().Where(p => p.requires_grad).ToArray();
            _optimizer = trainer.CreateOptimizer(_trainable);
            try
            {
                _validation = ValidationSample(split.Validation, options);
                _validating = _validation.Count > 0 || trainer.Validator is not null;
                _stepsPerEpoch = trainer.PlanEpoch(split, 1).Count;
                _totalSteps = (int)Math.Clamp((long)_stepsPerEpoch * options.Epochs, 1, int.MaxValue);
                _plannedSteps = options.MaxSteps is int maxSteps ? Math.Min(maxSteps, _totalSteps) : _totalSteps;
                var (bestScore, badValidations) = (double.NegativeInfinity, 0);
                if (options.ResumeFrom is { } resume)
                    (_step, _startEpoch, _skipBatches, bestScore, _bestStep, badValidations) = trainer.Resume(resume, _optimizer);
                // The best validated weights, kept in host memory; a resumed run continues the saved run's patience count.
                _best = new BestWeights(options.Patience, bestScore, badValidations);
                trainer._logger.LogInformation("GenSR training: {Examples} training examples, {Validation} validation cases, {Steps} steps planned " +
                    "({StepsPerEpoch} per epoch), learning rate {LearningRate}, on {Device}.",
                    split.TrainingExamples.Count, _validation.Count, _plannedSteps, _stepsPerEpoch, options.LearningRate, trainer.Model.Device);
                if (trainer.Model.Device.type == DeviceType.CPU && TorchRuntime.ThreadAdvice() is { } advice) trainer._logger.LogWarning("{Advice}", advice);
                _inference = new GenSRInference(trainer.Model, trainer.Builder);
            }
            catch
            {
                _best?.Dispose();
                _optimizer.Dispose();
                throw;
            }
        }

        private GenSRTrainingOptions Options => _trainer.Options;

        private double BestScore => _best.Score ?? double.NegativeInfinity;

        public GenSRTrainingResult Execute()
        {
            var epoch = _startEpoch;
            try
            {
                for (; epoch <= Options.Epochs && _stop is null; epoch++)
                {
                    var batches = _trainer.PlanEpoch(_split, epoch);
                    var epochClock = Stopwatch.StartNew();
                    var rows = 0L;
                    for (var b = epoch == _startEpoch ? _skipBatches : 0; b < batches.Count; b++)
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        var report = Optimize(batches, b, epoch, epochClock, ref rows);
                        var endOfEpoch = b == batches.Count - 1;
                        if (Options.MaxSteps is int cap && _step >= cap) _stop = TrainingStopReason.StepBudget;
                        else if (Options.MaxDuration is TimeSpan budget && _clock.Elapsed >= budget) _stop = TrainingStopReason.TimeBudget;
                        var due = Options.ValidateEvery is int every ? _step % every == 0 || endOfEpoch && Options.ValidateEvery > _stepsPerEpoch : endOfEpoch;
                        if (due || _stop is not null) report = ValidateAndSave(report, epoch, b + 1);
                        _history.Add(report);
                        _progress?.Report(report);
                        if (_stop is not null) break;
                    }
                }
            }
            finally
            {
                // The best validated weights go back into the model however the run ends, cancellation included.
                _best.Restore(BestWeights.Of(_trainer.Model));
                _trainer.Model.eval();
            }

            var reason = _stop ?? TrainingStopReason.EpochLimit;
            _trainer._logger.LogInformation("GenSR training ended after {Steps} steps ({Reason}) in {Elapsed}; kept the weights of step {BestStep}.", _step,
                reason, _clock.Elapsed, _bestStep);
            return new GenSRTrainingResult(_step, Math.Min(epoch, Options.Epochs), BestScore, _bestStep, reason == TrainingStopReason.EarlyStopping,
                _history, _clock.Elapsed)
            {
                StopReason = reason,
                BestEpoch = _bestEpoch,
            };
        }

        /// <summary>One optimisation step on batch <paramref name="b"/> (with the gradient-conflict probe when due).</summary>
        private TrainingProgress Optimize(IReadOnlyList<GenSRRequest[]> batches, int b, int epoch, Stopwatch epochClock, ref long rows)
        {
            _trainer.Model.train();
            (double Conflict, IReadOnlyDictionary<double, double>? ByDenseMix)? conflict = null;
            if (Options.GradientConflictEvery > 0 && (_step + 1) % Options.GradientConflictEvery == 0)
                conflict = _trainer.MeasureConflict(batches, b);
            var lr = _trainer.LearningRateAt(_step, _totalSteps);
            foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
            var (lmLoss, clLoss) = _trainer.OptimizationStep(batches[b], _optimizer, _trainable);
            _step++;
            rows += batches[b].Length;
            return new TrainingProgress(epoch, _step, _plannedSteps, lmLoss, clLoss, lr, rows / Math.Max(1e-9, epochClock.Elapsed.TotalSeconds),
                GradientConflict: conflict?.Conflict)
            {
                PointwiseStep = batches[b][0].IsPointwise,
                GradientConflictByDenseMix = conflict?.ByDenseMix,
            };
        }

        /// <summary>Validates (when there is anything to validate on), keeps the best weights and writes the checkpoints.</summary>
        private TrainingProgress ValidateAndSave(TrainingProgress report, int epoch, int batchesDone)
        {
            var folder = Options.CheckpointFolder;
            if (!_validating)
            {
                // Nothing to validate on (e.g. LeaveOneOutSplit.AllForTraining): the latest weights are the result.
                (_bestStep, _bestEpoch) = (_step, epoch);
                if (folder is not null)
                {
                    _trainer.SaveBest(folder, State(_step, epoch, batchesDone, BestScore, _bestStep, 0));
                    _trainer.SaveLast(folder, State(_step, epoch, batchesDone, BestScore, _bestStep, 0), _optimizer);
                }
                return report;
            }

            var byTask = _trainer.RunValidation(_inference, _validation, _split, _cancellationToken);
            var score = byTask.Values.Average();
            _trainer._logger.LogInformation(
                "GenSR validation at step {Step} (epoch {Epoch}): NDCG@10 {Score:F4} ({ByTask}); best before {Best:F4}; loss {Loss:F4}.",
                _step, epoch, score, string.Join(", ", byTask.Select(kv => $"{kv.Key} {kv.Value:F4}")), BestScore, report.LanguageModelLoss);
            switch (_best.Observe(score, () => BestWeights.Of(_trainer.Model)))
            {
                case ValidationOutcome.Improved:
                    (_bestStep, _bestEpoch) = (_step, epoch);
                    if (folder is not null) _trainer.SaveBest(folder, State(_step, epoch, batchesDone, BestScore, _bestStep, 0));
                    break;
                case ValidationOutcome.PatienceExhausted:
                    _stop ??= TrainingStopReason.EarlyStopping;
                    break;
            }

            if (folder is not null) _trainer.SaveLast(folder, State(_step, epoch, batchesDone, BestScore, _bestStep, _best.BadValidations), _optimizer);
            return report with { ValidationNdcg10 = score, ValidationByTask = byTask };
        }

        public void Dispose()
        {
            _inference.Dispose();
            _best.Dispose();
            _optimizer.Dispose();
        }
    }
}
