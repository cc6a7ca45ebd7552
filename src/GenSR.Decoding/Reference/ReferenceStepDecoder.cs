using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Decoding;

/// <summary>
/// A deterministic stand-in for a model, for tests and benchmarks: a tiny recurrent network with fixed seeded random
/// weights. For a hypothesis of query <c>q</c> with state <c>s</c> (zeros at the start) and last token <c>t</c>:
/// <c>s' = tanh(s·R + E[t])</c> and <c>log p(· | prefix) = log_softmax(scale · ((s' + Q[q])·W + b))</c>. The
/// log-probabilities depend on the query and on the whole prefix, and the state is a cache that
/// <see cref="Reorder"/> must permute, like a model's KV cache.
/// </summary>
/// <remarks>
/// Each step costs one <c>[hypotheses, hidden] × [hidden, vocabulary]</c> projection (and a <c>hidden × hidden</c> one),
/// about what the output layer of a small decoder costs. Weights are drawn on the CPU from
/// <see cref="ReferenceDecoderOptions.Seed"/> and then moved to the device, so every device sees the same numbers.
/// </remarks>
internal sealed class ReferenceStepDecoder : ICandidateStepDecoder
{
    private readonly Tensor _queryTable;     // [QueryTableSize, hidden]
    private readonly Tensor _tokenEmbedding; // [vocabulary, hidden]
    private readonly Tensor _recurrence;     // [hidden, hidden]
    private readonly Tensor _output;         // [hidden, vocabulary]
    private readonly Tensor _bias;           // [vocabulary]
    private readonly Tensor _queryIds;       // int64 [batch]
    private Tensor? _state;                  // [batch × beams, hidden]
    private Tensor? _queries;                // [batch × beams, hidden]
    private int _hypotheses;
    private bool _disposed;

    /// <summary>Creates a decoder bound to a batch of queries.</summary>
    /// <param name="queryIds">Per query of the batch, its row of the query table, in [0, <see cref="ReferenceDecoderOptions.QueryTableSize"/>).</param>
    /// <param name="options">Sizes, seed and scale.</param>
    /// <param name="device">Where the tensors live; the CPU when <c>null</c>.</param>
    /// <exception cref="ArgumentException">No queries, a query id out of range, or a start token outside the vocabulary.</exception>
    public ReferenceStepDecoder(IReadOnlyList<int> queryIds, ReferenceDecoderOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(options);
        if (queryIds.Count == 0) throw new ArgumentException("At least one query is needed.", nameof(queryIds));
        for (var i = 0; i < queryIds.Count; i++)
            if (queryIds[i] < 0 || queryIds[i] >= options.QueryTableSize)
                throw new ArgumentException($"Query {i} has id {queryIds[i]}, outside [0, {options.QueryTableSize}) (QueryTableSize).", nameof(queryIds));
        if (options.StartTokenId >= options.VocabularySize)
            throw new ArgumentException($"StartTokenId {options.StartTokenId} is outside the vocabulary of {options.VocabularySize} tokens.", nameof(options));

        Options = options;
        Device = device ?? CPU;
        BatchSize = queryIds.Count;
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)options.Seed), CPU);
        int h = options.HiddenSize, v = options.VocabularySize;
        var scale = 1.0 / Math.Sqrt(h);
        _queryTable = Keep(randn(options.QueryTableSize, h, generator: generator));
        _tokenEmbedding = Keep(randn(v, h, generator: generator));
        _recurrence = Keep(randn(h, h, generator: generator).MulScalar(scale));
        _output = Keep(randn(h, v, generator: generator).MulScalar(scale));
        _bias = Keep(randn(v, generator: generator).MulScalar(0.5));
        _queryIds = Keep(tensor(queryIds.Select(q => (long)q).ToArray()));
    }

    /// <summary>The settings the weights were made from.</summary>
    public ReferenceDecoderOptions Options { get; }

    /// <inheritdoc />
    public int BatchSize { get; }

    /// <inheritdoc />
    public int VocabularySize => Options.VocabularySize;

    /// <inheritdoc />
    public long StartTokenId => Options.StartTokenId;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>Number of <see cref="Step"/> calls since construction (tests use it to check how a search drives the decoder).</summary>
    public int StepCount { get; private set; }

    /// <inheritdoc />
    public void Start(int beams)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beams);
        _state?.Dispose();
        _queries?.Dispose();
        _hypotheses = BatchSize * beams;
        using var scope = NewDisposeScope();
        _state = zeros(_hypotheses, Options.HiddenSize, device: Device).DetachFromDisposeScope();
        _queries = _queryTable.index_select(0, _queryIds).repeat_interleave(beams, dim: 0).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Step(Tensor lastTokens)
    {
        var state = RequireStarted();
        CheckHypothesisVector(lastTokens, nameof(lastTokens));
        Tensor logProbs, next;
        using (NewDisposeScope())
        {
            next = state.matmul(_recurrence).PlusInPlace(_tokenEmbedding.index_select(0, lastTokens)).tanh_().DetachFromDisposeScope();
            var logits = next.Plus(_queries!).matmul(_output).PlusInPlace(_bias).With(Options.LogitScale, static (t, s) => t.mul_(s));
            logProbs = logits.log_softmax(1).MoveToOuterDisposeScope();
        }
        state.Dispose();
        _state = next;
        StepCount++;
        return logProbs;
    }

    /// <inheritdoc />
    public Tensor StepCandidates(Tensor lastTokens, Tensor candidateTokens)
    {
        ArgumentNullException.ThrowIfNull(candidateTokens);
        if (candidateTokens.dim() != 2 || candidateTokens.shape[0] != _hypotheses || candidateTokens.dtype != ScalarType.Int64)
            throw new ArgumentException($"Expected int64 [{_hypotheses}, C], got {candidateTokens.dtype} [{string.Join(", ", candidateTokens.shape)}].",
                nameof(candidateTokens));
        // The same step; the candidates' columns of the log-probabilities differ from their logits by a per-row constant.
        using var logProbs = Step(lastTokens);
        return logProbs.gather(1, candidateTokens);
    }

    /// <inheritdoc />
    public void Reorder(Tensor parentHypotheses)
    {
        var state = RequireStarted();
        ArgumentNullException.ThrowIfNull(parentHypotheses);
        if (parentHypotheses.dim() != 1 || parentHypotheses.dtype != ScalarType.Int64 || parentHypotheses.shape[0] == 0
            || parentHypotheses.shape[0] % BatchSize != 0)
            throw new ArgumentException($"Expected int64 [{BatchSize} × beams'] (query-major), got {parentHypotheses.dtype} " +
                $"[{string.Join(", ", parentHypotheses.shape)}].", nameof(parentHypotheses));
        Tensor nextState, nextQueries;
        using (NewDisposeScope())
        {
            nextState = state.index_select(0, parentHypotheses).DetachFromDisposeScope();
            nextQueries = _queries!.index_select(0, parentHypotheses).DetachFromDisposeScope();
        }
        state.Dispose();
        _queries!.Dispose();
        _state = nextState;
        _queries = nextQueries;
        _hypotheses = checked((int)parentHypotheses.shape[0]);
    }

    /// <summary>Releases the weights and the state.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _state?.Dispose();
        _queries?.Dispose();
        _queryTable.Dispose();
        _tokenEmbedding.Dispose();
        _recurrence.Dispose();
        _output.Dispose();
        _bias.Dispose();
        _queryIds.Dispose();
    }

    private Tensor Keep(Tensor cpuTensor) => cpuTensor.to(Device).DetachFromDisposeScope();

    private Tensor RequireStarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _state ?? throw new InvalidOperationException("Call Start(beams) before Step or Reorder.");
    }

    private void CheckHypothesisVector(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != 1 || tensor.shape[0] != _hypotheses || tensor.dtype != ScalarType.Int64)
            throw new ArgumentException($"Expected int64 [{_hypotheses}] (batch × beams), got {tensor.dtype} [{string.Join(", ", tensor.shape)}].", name);
    }
}
