using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenSR.Unify;

/// <summary>
/// Gathers concurrent keyed calls into batches (up to <see cref="MicroBatchingOptions.MaxBatch"/> calls, or what arrives
/// within <see cref="MicroBatchingOptions.MaxDelay"/> of the first) and answers each batch with one catalogue scoring of the
/// wrapped <see cref="GenSRRecommender"/>, so that many concurrent callers share the model's forward passes instead of
/// queueing for it one by one. The answers are those of the recommender's own keyed calls.
/// </summary>
/// <remarks>
/// Calls are checked when they are made (a bad argument throws at once and never joins a batch). A call cancelled while it
/// waits completes as cancelled and is left out of its batch. Disposing answers every call already queued, then refuses new
/// ones with <see cref="ObjectDisposedException"/>. The recommender is not owned: dispose it after the batcher. Reloads and
/// added items (<see cref="GenSRRecommender.Reload"/>, <see cref="GenSRRecommender.AddItems"/>) apply from the next batch.
/// </remarks>
public sealed class GenSRMicroBatcher : IGenSRRecommender, IAsyncDisposable, IDisposable
{
    private readonly GenSRRecommender _recommender;
    private readonly Channel<Pending> _queue;
    private readonly Task _worker;
    private readonly ILogger _logger;
    private long _batches;
    private long _answered;
    private int _disposed;

    /// <summary>Starts the batching loop over <paramref name="recommender"/>.</summary>
    /// <param name="recommender">The recommender that answers the batches (not owned).</param>
    /// <param name="options">Batch size and delay; null for the defaults.</param>
    /// <param name="logger">Where failed batches (and, at debug level, batch sizes) are logged; null: nowhere.</param>
    public GenSRMicroBatcher(GenSRRecommender recommender, MicroBatchingOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        _recommender = recommender;
        Options = options ?? new MicroBatchingOptions();
        _logger = logger ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Options.MaxQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>The batching options.</summary>
    public MicroBatchingOptions Options { get; }

    /// <inheritdoc />
    public int ItemCount => _recommender.ItemCount;

    /// <summary>Batches answered so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Calls answered so far (cancelled ones excluded); divided by <see cref="Batches"/>, the mean batch size.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> RecommendAsync(IReadOnlyList<HistoryEvent> history, int k = 10, ItemFilter? filter = null,
                                                          CancellationToken cancellationToken = default) =>
        Enqueue(KeyedRequest.Recommendation(history, k, filter), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> SearchAsync(IReadOnlyList<HistoryEvent> history, string query, int k = 10, ItemFilter? filter = null,
                                                       CancellationToken cancellationToken = default) =>
        Enqueue(KeyedRequest.Search(history, query, k, filter), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredItem>> ScoreAsync(IReadOnlyList<HistoryEvent> history, string? query, IReadOnlyList<string> candidateKeys,
                                                      CancellationToken cancellationToken = default) =>
        Enqueue(KeyedRequest.Scoring(history, query, candidateKeys), cancellationToken);

    private async Task<IReadOnlyList<ScoredItem>> Enqueue(KeyedRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var pending = new Pending(request, new TaskCompletionSource<IReadOnlyList<ScoredItem>>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GenSRMicroBatcher));
        }
        await using (cancellationToken.Register(static p => ((Pending)p!).Completion.TrySetCanceled(), pending).ConfigureAwait(false))
            return await pending.Completion.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(Options.MaxBatch);
        var delay = Options.MaxDelay;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (!reader.TryRead(out var first)) continue;
            batch.Add(first);
            var deadline = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
            while (batch.Count < Options.MaxBatch)
            {
                if (reader.TryRead(out var next))
                {
                    batch.Add(next);
                    continue;
                }
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero) break;
                using var wait = new CancellationTokenSource(left);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Answer(batch);
        }
    }

    private void Answer(List<Pending> batch)
    {
        var live = batch.Where(p => !p.Completion.Task.IsCompleted).ToArray();
        if (live.Length == 0) return;
        try
        {
            var results = _recommender.RankKeyed(live.Select(p => p.Request).ToArray());
            for (var i = 0; i < live.Length; i++) live[i].Completion.TrySetResult(results[i]);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _answered, live.Length);
            _logger.LogDebug("Answered a batch of {Count} GenSR calls.", live.Length);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A batch of {Count} GenSR calls failed.", live.Length);
            foreach (var p in live) p.Completion.TrySetException(e);
        }
    }

    /// <summary>Answers the calls already queued, then stops; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, waiting on the calling thread.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed record Pending(KeyedRequest Request, TaskCompletionSource<IReadOnlyList<ScoredItem>> Completion);
}
