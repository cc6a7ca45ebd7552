using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>
/// TorchSharp's AdamW with the same update, operation for operation, but every scalar it hands to libtorch held until
/// the native call returns.
/// </summary>
/// <remarks>
/// TorchSharp's own <c>step</c> converts each coefficient (β₁, 1 − β₁, ε, −step size, ...) to a temporary native
/// scalar per parameter; a garbage collection started by another thread during that call can free one (a CI run once
/// failed inside <c>addcdiv_</c>, see docs/reliability.md). The update is Loshchilov &amp; Hutter's decoupled weight
/// decay (arXiv 1711.05101): θ ← θ·(1 − η·λ), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε). State, state dictionaries, parameter groups and learning-rate
/// schedulers are the base class's, so checkpoints are interchangeable with TorchSharp's AdamW. AMSGrad and maximize
/// are not supported (the library uses neither).
/// </remarks>
internal sealed class HeldScalarAdamW : AdamW
{
    /// <summary>Creates the optimizer over parameter groups (each with its own learning rate and weight decay).</summary>
    /// <param name="groups">Parameter groups.</param>
    /// <param name="learningRate">Default learning rate for groups without one.</param>
    public HeldScalarAdamW(IEnumerable<ParamGroup> groups, double learningRate)
        : base(groups, learningRate)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
        => _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            if (options.amsgrad == true || options.maximize == true)
                throw new NotSupportedException("HeldScalarAdamW supports neither AMSGrad nor maximize.");
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
            using var decay = (1 - lr * options.weight_decay!.Value).ToScalar();
            using var moment = new MomentScalars(beta1, beta2, options.eps!.Value);
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null) continue;
                var state = (State)_state[param.Handle];
                state.step += 1;
                param.mul_(decay);
                moment.Update(param, grad, state.exp_avg, state.exp_avg_sq, state.step, lr);
            }
        }, closure);
}

/// <summary>
/// TorchSharp's Adam (L2 penalty added to the gradient) with every scalar held during its native call; see
/// <see cref="HeldScalarAdamW"/>.
/// </summary>
internal sealed class HeldScalarAdam : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">Learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Denominator floor.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient (Adam's coupled form).</param>
    public HeldScalarAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999,
                          double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
        => _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            if (options.amsgrad == true || options.maximize == true)
                throw new NotSupportedException("HeldScalarAdam supports neither AMSGrad nor maximize.");
            double lr = options.LearningRate!.Value, weightDecay = options.weight_decay!.Value;
            using var decay = weightDecay.ToScalar();
            using var moment = new MomentScalars(options.beta1!.Value, options.beta2!.Value, options.eps!.Value);
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null) continue;
                var state = (State)_state[param.Handle];
                state.step += 1;
                if (weightDecay != 0) grad = grad.add(param, decay);
                moment.Update(param, grad, state.exp_avg, state.exp_avg_sq, state.step, lr);
            }
        }, closure);
}

// The moment updates shared by Adam and AdamW, in TorchSharp's order, with the per-group coefficients held for the
// whole step and the per-parameter ones held until their call returns.
internal sealed class MomentScalars : IDisposable
{
    private static readonly Scalar One = 1.ToScalar();
    private readonly double _beta1, _beta2;
    private readonly Scalar _b1, _oneMinusB1, _b2, _oneMinusB2, _eps;

    public MomentScalars(double beta1, double beta2, double eps)
    {
        (_beta1, _beta2) = (beta1, beta2);
        _b1 = beta1.ToScalar();
        _oneMinusB1 = (1 - beta1).ToScalar();
        _b2 = beta2.ToScalar();
        _oneMinusB2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
    }

    public void Update(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr)
    {
        var biasCorrection1 = 1 - Math.Pow(_beta1, step);
        var biasCorrection2 = 1 - Math.Pow(_beta2, step);
        expAvg.mul_(_b1).add_(grad, _oneMinusB1);
        expAvgSq.mul_(_b2).addcmul_(grad, grad, _oneMinusB2);
        using var root = Math.Sqrt(biasCorrection2).ToScalar();
        var denom = expAvgSq.sqrt().div(root).add_(_eps, One); // freed with the step's dispose scope, as in TorchSharp
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        param.addcdiv_(expAvg, denom, stepSize);
    }

    public void Dispose()
    {
        _b1.Dispose();
        _oneMinusB1.Dispose();
        _b2.Dispose();
        _oneMinusB2.Dispose();
        _eps.Dispose();
    }
}
