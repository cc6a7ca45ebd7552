using GenSR.Core;

namespace GenSR.Evaluation.CommandLine;

/// <summary>The parsed command line of the evaluation console (see <see cref="EvaluationCommandLine"/>; defaults are the initial values here).</summary>
public sealed record EvaluationSettings
{
    /// <summary>The dataset folder (<c>--data</c>), or <c>null</c> with <see cref="Demo"/>.</summary>
    public string? DataFolder { get; init; }

    /// <summary>The dataset format (<c>--format</c>); <c>null</c> detects it from the folder's files.</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>Whether the embedded demo dataset is evaluated (<c>--demo</c>).</summary>
    public bool Demo { get; init; }

    /// <summary>Users of the demo dataset (<c>--demo-users</c>); <c>null</c> for its default.</summary>
    public int? DemoUsers { get; init; }

    /// <summary>Items of the demo dataset (<c>--demo-items</c>); <c>null</c> for its default.</summary>
    public int? DemoItems { get; init; }

    /// <summary>The protocols (<c>--protocol full|sampled|both</c>); default both.</summary>
    public IReadOnlyList<EvaluationProtocol> Protocols { get; init; } = [EvaluationProtocol.FullRanking, EvaluationProtocol.Sampled];

    /// <summary>The tasks to evaluate (<c>--tasks recommendation|search|both</c>); <c>null</c> (default) for every task a system serves.</summary>
    public IReadOnlyList<TaskKind>? Tasks { get; init; }

    /// <summary>A published-results file whose rows the report shows beside the measured ones (<c>--published</c>); default none.</summary>
    public string? PublishedFile { get; init; }

    /// <summary>Evaluate a seeded sample of this many users (<c>--max-users</c>; seed 42); <c>null</c> (default) for all.</summary>
    public int? MaxUsers { get; init; }

    /// <summary>The device (<c>--device</c>); null (the default, <c>auto</c>) for the first CUDA device when one is available, else the CPU.</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>The output folder for report.md and report.json (<c>--out</c>); default <c>evaluation-results</c>.</summary>
    public string OutputFolder { get; init; } = "evaluation-results";

    /// <summary>Number of seeds (<c>--seeds</c>); default 1.</summary>
    public int SeedCount { get; init; } = 1;

    /// <summary>The first seed (<c>--seed</c>); the seeds are <c>Seed, Seed + 1, …</c>. Default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The keys of the systems to compare (<c>--systems</c>), in order; default every registered system.</summary>
    public IReadOnlyList<string> Systems { get; init; } = SystemRegistry.DefaultKeys;

    /// <summary>The history cap (<c>--max-history</c>); default 20.</summary>
    public int MaxHistory { get; init; } = 20;

    /// <summary>Negatives per case of the sampled protocol (<c>--negatives</c>); default 99.</summary>
    public int Negatives { get; init; } = 99;

    /// <summary>Whether full ranking ignores items seen before the target (<c>--exclude-seen yes|no</c>); default yes.</summary>
    public bool ExcludeSeen { get; init; } = true;

    /// <summary>Fraction of events turned into search events when the data has no queries (<c>--search-fraction</c>); default 0.5.</summary>
    public double SearchFraction { get; init; } = 0.5;

    /// <summary>Epoch limit of the trained baselines (<c>--max-epochs</c>); <c>null</c> keeps each system's default.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>Early-stopping patience of the trained baselines (<c>--patience</c>); <c>null</c> keeps each system's default.</summary>
    public int? Patience { get; init; }

    /// <summary>Peak learning rate of the GenSR systems (<c>--learning-rate</c>); <c>null</c> keeps the library's default.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Share of training examples that also become a pointwise Yes/No row in the GenSR systems (<c>--pointwise-fraction</c>); <c>null</c> keeps the default (0, and 0.5 for <c>gensr-pointwise</c>).</summary>
    public double? PointwiseFraction { get; init; }

    /// <summary>Indexing rows per item and epoch in the GenSR systems (<c>--indexing-fraction</c>); <c>null</c> keeps the library's default (1).</summary>
    public double? IndexingFraction { get; init; }

    /// <summary>Steps between GenSR's gradient-conflict probes (<c>--conflict-every</c>); <c>null</c>: no probe.</summary>
    public int? ConflictEvery { get; init; }

    /// <summary>λ of the probe (<c>--conflict-dense-mix</c>): the dense head's share of each task's probed loss; <c>null</c>: 0.</summary>
    public double? ConflictDenseMix { get; init; }

    /// <summary>GenSR's backbone (<c>--backbone</c>): <c>default</c> or <c>tiger</c>.</summary>
    public string Backbone { get; init; } = "default";

    /// <summary>Whether GenSR batches rows of similar history length (<c>--bucket-by-length</c>); <c>null</c> keeps the library's default.</summary>
    public bool? BucketByLength { get; init; }

    /// <summary>Whether GenSR's item tokens start with the item's category words (<c>--item-categories</c>); default false.</summary>
    public bool ItemCategories { get; init; }

    /// <summary>Category-word tokens per item matched by the dense head of GenSR systems that have one (<c>--dense-categories</c>); default 0.</summary>
    public int DenseCategories { get; init; }

    /// <summary>Whether the dense head of GenSR systems that have one reads the history items' rows (<c>--dense-history</c>); default false.</summary>
    public bool DenseHistory { get; init; }

    /// <summary>Whether GenSR systems with category words in the dense head also add their cosine match (<c>--dense-category-cosine</c>); default false.</summary>
    public bool DenseCategoryCosine { get; init; }

    /// <summary>Whether the dense head of GenSR systems that have one adds the projected user soft tokens (<c>--dense-soft-tokens</c>); default false.</summary>
    public bool DenseSoftTokens { get; init; }

    /// <summary>GenSR's semantic item vectors for identifiers (<c>--item-encoder</c>): <c>lsa</c>, <c>minilm</c> or <c>arctic</c>.</summary>
    public string ItemEncoder { get; init; } = "lsa";

    /// <summary>Whether GenSR reads pretrained query vectors (<c>--query-vectors</c>): <c>none</c>, <c>minilm</c> or <c>arctic</c>.</summary>
    public string QueryVectors { get; init; } = "none";

    /// <summary>What GenSR's semantic history view reads (<c>--semantic-view</c>): <c>titles</c> (default), <c>vectors</c> or <c>off</c>.</summary>
    public string SemanticView { get; init; } = "titles";

    /// <summary>GenSR's step budget per model (<c>--max-steps</c>); <c>null</c>: none.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>GenSR's training-time budget per model in minutes (<c>--max-minutes</c>); <c>null</c>: none.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>CPU threads torch may use (<c>--threads</c>); 0 keeps torch's default.</summary>
    public int Threads { get; init; }

    /// <summary>Whether per-epoch progress is left out of the console output (<c>--quiet</c>).</summary>
    public bool Quiet { get; init; }

    /// <summary>Whether only the usage was asked for (<c>--help</c>).</summary>
    public bool Help { get; init; }
}
