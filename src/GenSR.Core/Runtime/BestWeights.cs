using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>What one validation score meant for early stopping.</summary>
internal enum ValidationOutcome
{
    /// <summary>The best score so far: its weights were kept.</summary>
    Improved,

    /// <summary>Not better than the best; patience is not used up.</summary>
    NotImproved,

    /// <summary>Not better than the best for <c>patience</c> validations in a row: training should stop.</summary>
    PatienceExhausted,
}

/// <summary>
/// Early stopping on a validation score (higher is better) with patience, and the best score's weights: each
/// improvement keeps a copy of the given tensors in host memory (so a GPU holds the model once), and
/// <see cref="Restore"/> copies them back when training ends, however it ends. The one helper of the training loops
/// (LightGCN, the sequence baselines, GenSR).
/// </summary>
internal sealed class BestWeights : IDisposable
{
    private readonly int _patience;
    private Dictionary<string, Tensor>? _copies;

    /// <summary>Starts tracking, optionally from a resumed run's state.</summary>
    /// <param name="patience">Validations without improvement after which <see cref="Observe"/> says stop; at least 1.</param>
    /// <param name="score">The best score so far; null (a fresh run) makes the first score an improvement.</param>
    /// <param name="badValidations">Validations without improvement so far.</param>
    public BestWeights(int patience, double? score = null, int badValidations = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(badValidations);
        _patience = patience;
        Score = score;
        BadValidations = badValidations;
    }

    /// <summary>The best score so far, or null before the first validation.</summary>
    public double? Score { get; private set; }

    /// <summary>Validations since the last improvement.</summary>
    public int BadValidations { get; private set; }

    /// <summary>Whether weights have been kept (an improvement was observed in this run).</summary>
    public bool HasWeights => _copies is not null;

    /// <summary>Records a validation score; on an improvement keeps copies of <paramref name="weights"/>.</summary>
    /// <param name="score">The validation score, higher is better.</param>
    /// <param name="weights">The tensors to keep, by name; read only on an improvement.</param>
    public ValidationOutcome Observe(double score, Func<IEnumerable<(string Name, Tensor Tensor)>> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (Score is null || score > Score.Value)
        {
            Score = score;
            BadValidations = 0;
            Keep(weights());
            return ValidationOutcome.Improved;
        }
        return ++BadValidations >= _patience ? ValidationOutcome.PatienceExhausted : ValidationOutcome.NotImproved;
    }

    /// <summary>Copies the kept weights into <paramref name="targets"/> (matched by name); nothing when none were kept.</summary>
    /// <exception cref="InvalidOperationException">A target has no kept copy.</exception>
    public void Restore(IEnumerable<(string Name, Tensor Tensor)> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_copies is null) return;
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!_copies.TryGetValue(name, out var copy))
                throw new InvalidOperationException($"No weights were kept for \"{name}\".");
            target.copy_(copy);
        }
    }

    /// <summary>The state dict of <paramref name="module"/> as the name/tensor pairs this class takes.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Of(nn.Module module) =>
        module.state_dict().Select(kv => (kv.Key, kv.Value));

    /// <inheritdoc/>
    public void Dispose() => Release();

    private void Keep(IEnumerable<(string Name, Tensor Tensor)> weights)
    {
        Release();
        using var noGrad = no_grad();
        // The detached views and host copies are temporaries of this scope; only the clones outlive it.
        using var scope = NewDisposeScope();
        var copies = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in weights)
            copies.Add(name, tensor.detach().cpu().clone().DetachFromDisposeScope());
        _copies = copies;
    }

    private void Release()
    {
        if (_copies is null) return;
        foreach (var copy in _copies.Values) copy.Dispose();
        _copies = null;
    }
}
