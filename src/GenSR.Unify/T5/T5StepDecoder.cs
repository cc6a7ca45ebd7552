using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Incremental T5 decoding for beam search (<see cref="IStepDecoder"/>), bound to one batch of encoded queries.
/// The encoder–decoder keys and values of every decoder layer are computed once, on creation, and shared by all beams
/// of a query (the beams are folded into the attention's query axis rather than repeated, so that memory does not grow
/// with the beam count); the self-attention keys and values grow by one position per <see cref="Step"/> and are
/// re-ordered by <see cref="Reorder"/>. Nothing is copied to the host inside <see cref="Step"/> or <see cref="Reorder"/>.
/// Not thread-safe: one decoder serves one decoding loop.
/// </summary>
public sealed class T5StepDecoder : ICandidateStepDecoder
{
    private readonly T5ForConditionalGeneration model;
    private readonly T5DecoderCache cache;
    private int beams;
    private bool disposed;

    internal T5StepDecoder(T5ForConditionalGeneration model, Tensor encoderHidden, Tensor attentionMask)
    {
        this.model = model;
        BatchSize = checked((int)encoderHidden.shape[0]);
        VocabularySize = model.Config.VocabSize;
        StartTokenId = model.Config.DecoderStartTokenId;
        Device = model.Device;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var hidden = encoderHidden.to(Device);
        var mask = attentionMask.to(Device);
        cache = model.DecoderStack.CreateCache(hidden, mask);
    }

    /// <inheritdoc />
    public int BatchSize { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public long StartTokenId { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>Hypotheses per query since the last <see cref="Start"/> (0 before the first).</summary>
    public int Beams => beams;

    /// <summary>Positions decoded since the last <see cref="Start"/>.</summary>
    public int Length => cache.PastLength;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beams"/> is less than 1.</exception>
    public void Start(int beams)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (beams < 1) throw new ArgumentOutOfRangeException(nameof(beams), beams, "beams must be at least 1.");
        cache.Reset();
        this.beams = beams;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Start"/> has not been called.</exception>
    /// <exception cref="ArgumentException"><paramref name="lastTokens"/> is not [BatchSize × beams].</exception>
    public Tensor Step(Tensor lastTokens)
    {
        CheckHypotheses(lastTokens, nameof(lastTokens));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var tokens = lastTokens.to(ScalarType.Int64).to(Device).view(-1, 1);
        var hidden = model.DecoderStack.Step(model.EmbedTokens(tokens), cache);
        var logits = model.ProjectToVocabulary(hidden).squeeze(1);
        return logits.log_softmax(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Start"/> has not been called.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong shape.</exception>
    public Tensor StepCandidates(Tensor lastTokens, Tensor candidateTokens)
    {
        CheckHypotheses(lastTokens, nameof(lastTokens));
        ArgumentNullException.ThrowIfNull(candidateTokens);
        if (candidateTokens.dim() != 2 || candidateTokens.shape[0] != lastTokens.shape[0])
            throw new ArgumentException($"candidateTokens has shape [{string.Join(", ", candidateTokens.shape)}], expected [{lastTokens.shape[0]}, C].",
                nameof(candidateTokens));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var tokens = lastTokens.to(ScalarType.Int64).to(Device).view(-1, 1);
        var hidden = model.DecoderStack.Step(model.EmbedTokens(tokens), cache);
        return model.ProjectToTokens(hidden.squeeze(1), candidateTokens.to(ScalarType.Int64).to(Device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Start"/> has not been called.</exception>
    /// <exception cref="ArgumentException"><paramref name="parentHypotheses"/> is not a non-empty vector of BatchSize × beams' entries.</exception>
    public void Reorder(Tensor parentHypotheses)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(parentHypotheses);
        if (beams == 0) throw new InvalidOperationException("Call Start(beams) before Step or Reorder.");
        if (parentHypotheses.dim() != 1 || parentHypotheses.shape[0] == 0 || parentHypotheses.shape[0] % BatchSize != 0)
            throw new ArgumentException($"parentHypotheses has shape [{string.Join(", ", parentHypotheses.shape)}], expected [{BatchSize} × beams'] " +
                "(query-major).", nameof(parentHypotheses));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        cache.Reorder(parentHypotheses.to(ScalarType.Int64).to(Device));
        beams = checked((int)(parentHypotheses.shape[0] / BatchSize));
    }

    private void CheckHypotheses(Tensor t, string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(t, name);
        if (beams == 0) throw new InvalidOperationException("Call Start(beams) before Step or Reorder.");
        if (t.dim() != 1 || t.shape[0] != (long)BatchSize * beams)
            throw new ArgumentException($"{name} has shape [{string.Join(", ", t.shape)}], expected [{(long)BatchSize * beams}] (batch {BatchSize} × beams " +
                $"{beams}, query-major).", name);
    }

    /// <summary>Releases the cache.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        cache.Dispose();
    }
}
