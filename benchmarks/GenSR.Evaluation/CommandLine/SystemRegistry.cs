using GenSR.Evaluation.Baselines.Bm25;
using GenSR.Evaluation.Baselines.Joint;
using GenSR.Evaluation.Baselines.Popularity;
using GenSR.Evaluation.Baselines.SasRec;
using GenSR.Evaluation.Baselines.Sequences;
using GenSR.Evaluation.Benchmark;

namespace GenSR.Evaluation.CommandLine;

/// <summary>
/// The systems the console can compare, by <c>--systems</c> key. A new system (e.g. GenSR itself) is added here as one
/// more <see cref="SystemDefinition"/> whose factory returns its <see cref="Harness.IEvaluatedSystem"/> adapter.
/// </summary>
public static class SystemRegistry
{
    /// <summary>The keys compared when <c>--systems</c> is not given, in report order.</summary>
    public static IReadOnlyList<string> DefaultKeys { get; } = ["popularity", "bm25", "sasrec", "joint"];

    /// <summary>Every registered system, with the settings' overrides (epoch limit, patience, history cap) applied.</summary>
    /// <param name="settings">The parsed command line.</param>
    public static IReadOnlyList<SystemDefinition> All(EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SequenceTrainingOptions Training(SequenceTrainingOptions defaults)
        {
            if (settings.MaxEpochs is { } epochs) defaults = defaults with { MaxEpochs = epochs };
            if (settings.Patience is { } patience) defaults = defaults with { Patience = patience };
            return defaults;
        }

        return
        [
            new("popularity", "most popular items of the training part (both tasks)", () => new PopularitySystem()),
            new("bm25", "BM25 over title, brand and categories (search)", () => new Bm25System()),
            // The SASRec paper's two dropout settings (0.2 for MovieLens-1M, 0.5 for its sparser datasets); validation picks one.
            new("sasrec", "SASRec, causal self-attention over the item history, dropout 0.2 or 0.5 chosen on validation (recommendation)",
                () => new SasRecSystem(new SasRecOptions { MaxLength = settings.MaxHistory, Training = Training(new SasRecOptions().Training) }, [0.2, 0.5])),
            new("joint", "discriminative joint search & recommendation Transformer, JSR/UniSAR family (both tasks)",
                () => new JointSearchRecSystem(new JointModelOptions { MaxLength = settings.MaxHistory, Training = Training(new JointModelOptions().Training) })),
        ];
    }

    /// <summary>The definitions of the given keys, in the given order.</summary>
    /// <param name="settings">The parsed command line.</param>
    /// <exception cref="CommandLineException">A key is not registered (the message lists the known keys).</exception>
    public static IReadOnlyList<SystemDefinition> Select(EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var all = All(settings);
        return settings.Systems.Select(key => all.FirstOrDefault(d => d.Key == key)
                                              ?? throw new CommandLineException($"--systems: unknown system \"{key}\"; expected a comma-separated list of {string.Join(", ", all.Select(d => d.Key))}."))
                       .ToArray();
    }
}
