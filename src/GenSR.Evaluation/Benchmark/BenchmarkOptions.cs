using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation;

/// <summary>Options of <see cref="BenchmarkRunner"/>. Validated when set.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>The protocols to evaluate under, in report order; default full ranking, then sampled.</summary>
    /// <exception cref="ArgumentException">The list is empty or holds an undefined value.</exception>
    public IReadOnlyList<EvaluationProtocol> Protocols
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Protocols));
            var distinct = value.Distinct().ToArray();
            if (distinct.Length == 0) throw new ArgumentException("BenchmarkOptions.Protocols must hold at least one protocol.", nameof(Protocols));
            if (distinct.Any(p => !Enum.IsDefined(p))) throw new ArgumentException(
                "BenchmarkOptions.Protocols holds an undefined protocol.", nameof(Protocols));
            field = distinct;
        }
    } = [EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled];

    /// <summary>
    /// The tasks to evaluate, or <c>null</c> (default) for every task each system serves. A system serving none of them is
    /// left out of the report with a note. Use <c>[TaskKind.Recommendation]</c> for data without queries.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds an undefined value.</exception>
    public IReadOnlyList<TaskKind>? Tasks
    {
        get;
        init
        {
            if (value is null)
            {
                field = null;
                return;
            }
            var distinct = value.Distinct().ToArray();
            if (distinct.Length == 0) throw new ArgumentException(
                "BenchmarkOptions.Tasks must hold at least one task, or be null for every task.", nameof(Tasks));
            if (distinct.Any(t => !Enum.IsDefined(t))) throw new ArgumentException("BenchmarkOptions.Tasks holds an undefined task.", nameof(Tasks));
            field = distinct;
        }
    }

    /// <summary>Published figures to show beside the measured rows (see <see cref="PublishedResult"/>); only those of the
    /// evaluated dataset appear, the others are named in a note. Default none.</summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public IReadOnlyList<PublishedResult> Published
    {
        get;
        init => field = value?.ToArray() ?? throw new ArgumentNullException(nameof(Published), "BenchmarkOptions.Published must not be null.");
    } = [];

    /// <summary>The seeds; every system is trained and evaluated once per seed. Default one seed, 42.</summary>
    /// <exception cref="ArgumentException">The list is empty or repeats a seed.</exception>
    public IReadOnlyList<long> Seeds
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Seeds));
            if (value.Count == 0) throw new ArgumentException("BenchmarkOptions.Seeds must hold at least one seed.", nameof(Seeds));
            if (value.Distinct().Count() != value.Count) throw new ArgumentException("BenchmarkOptions.Seeds must not repeat a seed.", nameof(Seeds));
            field = value.ToArray();
        }
    } = [42];

    /// <summary>The device; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>How cases are ranked (cutoffs, exclusion of seen items, sampled candidates).</summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public RankingOptions Ranking
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Ranking), "BenchmarkOptions.Ranking must not be null.");
    } = new();

    /// <summary>The split (history cap) and the query synthesis used when the data has no search events.</summary>
    /// <exception cref="ArgumentNullException">The value is <c>null</c>.</exception>
    public SplitOptions Split
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Split), "BenchmarkOptions.Split must not be null.");
    } = new();
}
