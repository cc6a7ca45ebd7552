using GenSR.Unify;
using GenSR.Core;
using GenSR.Representation;
using GenSR.Representation.SentenceEncoders;

namespace GenSR.Evaluation.CommandLine;

/// <summary>
/// The systems the console can compare, by <c>--systems</c> key. A new system (e.g. GenSR itself) is added here as one
/// more <see cref="SystemDefinition"/> whose factory returns its <see cref="IEvaluatedSystem"/> adapter.
/// </summary>
public static class SystemRegistry
{
    /// <summary>The keys compared when <c>--systems</c> is not given, in report order.</summary>
    public static IReadOnlyList<string> DefaultKeys { get; } = ["popularity", "category-popularity", "bm25", "sasrec", "joint"];

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
            new("category-popularity", "items of the request's category path first (search: the query's words; recommendation: the last history item's), each by training popularity (both tasks)",
                () => new CategoryPopularitySystem()),
            new("bm25", "BM25 over title, brand and categories (search)", () => new Bm25System()),
            new("dense-minilm", "zero-shot dense retrieval with all-MiniLM-L6-v2 (ONNX): query or mean history vector · item vectors of title, brand and categories (both tasks)",
                () => new DenseRetrievalSystem("Dense retrieval (MiniLM)", () => OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, new() { Threads = settings.Threads > 0 ? settings.Threads : null }),
                                               historyItems: settings.MaxHistory)),
            new("dense-arctic", "zero-shot dense retrieval with arctic-embed-xs (ONNX), queries with the model's retrieval prefix (both tasks)",
                () => new DenseRetrievalSystem("Dense retrieval (arctic-embed-xs)", () => OnnxSentenceEncoder.Load(PretrainedSentenceModel.ArcticXs, new() { Threads = settings.Threads > 0 ? settings.Threads : null }),
                                               () => OnnxSentenceEncoder.Load(PretrainedSentenceModel.ArcticXs, new() { Threads = settings.Threads > 0 ? settings.Threads : null, TextPrefix = OnnxSentenceEncoder.ArcticQueryPrefix }),
                                               historyItems: settings.MaxHistory)),
            // The SASRec paper's two dropout settings (0.2 for MovieLens-1M, 0.5 for its sparser datasets); validation picks one.
            new("sasrec", "SASRec, causal self-attention over the item history, dropout 0.2 or 0.5 chosen on validation (recommendation)",
                () => new SasRecSystem(new SasRecOptions { MaxLength = settings.MaxHistory, Training = Training(new SasRecOptions().Training) }, [0.2, 0.5])),
            new("joint", "discriminative joint search & recommendation Transformer, JSR/UniSAR family (both tasks)",
                () => new JointSearchRecSystem(new JointModelOptions { MaxLength = settings.MaxHistory, Training = Training(new JointModelOptions().Training) })),
            GenSR(settings, "gensr", "GenSR", "GenSR, one unified model, trie-constrained generative retrieval (both tasks)", x => x),
            GenSR(settings, "gensr-exact", "GenSR (exact)", "GenSR, the same model ranked by the exact generative likelihood of every item (no beam, no misses)",
                x => x with { Ranking = GenSRRankingMode.Exact }),
            GenSR(settings, "gensr-dense", "GenSR (dense head)", "GenSR with a dense head trained beside the LM loss, ranked by the dense head alone",
                x => x with { Ranking = GenSRRankingMode.Dense, Pipeline = x.Pipeline with { DenseDimension = x.Pipeline.ModelDimension } }),
            GenSR(settings, "gensr-fused", "GenSR (fused)", "GenSR with a dense head, ranked by exact generative likelihood + w · dense, w per task on validation",
                x => x with { Ranking = GenSRRankingMode.Fused, Pipeline = x.Pipeline with { DenseDimension = x.Pipeline.ModelDimension } }),
            GenSR(settings, "gensr-fused-text-first", "GenSR (fused), text-first identifiers", "gensr-fused with the first identifier level from the text vectors and the others from LightGCN's",
                x => x with { Ranking = GenSRRankingMode.Fused, Pipeline = x.Pipeline with { DenseDimension = x.Pipeline.ModelDimension, IdentifierSource = IdentifierSource.TextFirst } }),
            GenSR(settings, "gensr-pointwise", "GenSR (pointwise)", "GenSR, the same training, ranked by P(Yes) of the pointwise prompt (sampled protocol only)", x => x with { Pointwise = true, Training = settings.PointwiseFraction is null ? x.Training with { PointwiseFraction = 0.5 } : x.Training }),
            GenSR(settings, "gensr-no-cf", "GenSR w/o CF view", "ablation: no collaborative history encoder or CF soft tokens",
                x => x with { Pipeline = x.Pipeline with { UseCollaborativeView = false } }),
            GenSR(settings, "gensr-no-sem", "GenSR w/o semantic view", "ablation: no semantic history encoder or semantic soft tokens",
                x => x with { Pipeline = x.Pipeline with { UseSemanticView = false } }),
            GenSR(settings, "gensr-no-cl", "GenSR w/o contrastive loss", "ablation: λ = 0 (no InfoNCE between the two user vectors)",
                x => x with { Training = x.Training with { ContrastiveWeight = 0 } }),
            GenSR(settings, "gensr-separate", "GenSR, two single-task models", "ablation: one model trained on recommendation only, another on search only",
                x => x with { SeparateTasks = true }),
            GenSR(settings, "gensr-ids-semantic", "GenSR, semantic identifiers", "identifiers quantised from the LSA text vectors only",
                x => x with { Pipeline = x.Pipeline with { IdentifierSource = IdentifierSource.Semantic } }),
            GenSR(settings, "gensr-codebook-init", "GenSR, identifier embeddings from codebooks", "identifier-token embeddings start from the quantiser's codebook vectors",
                x => x with { Pipeline = x.Pipeline with { InitializeIdentifierEmbeddings = true } }),
            GenSR(settings, "tiger", "TIGER (library parts)",
                "TIGER from the library's parts: RQ-VAE identifiers of the item text vectors (use --item-encoder minilm), 4 + 4 T5, 20-item prompt, next-item generation only, beam search",
                x => x with
                {
                    Pipeline = GenSRPipelineOptions.Tiger(x.Pipeline) with { PromptHistoryItems = Math.Min(20, settings.MaxHistory) },
                    Training = GenSRTrainingOptions.Tiger(x.Training),
                }),
            GenSR(settings, "gensr-ids-collaborative", "GenSR, collaborative identifiers", "identifiers quantised from the LightGCN vectors only",
                x => x with { Pipeline = x.Pipeline with { IdentifierSource = IdentifierSource.Collaborative } }),
        ];
    }

    /// <summary>
    /// A GenSR variant: the library's pipeline and trainer defaults (learning rate, schedule, patience, generative rows only)
    /// with the harness's sizes: fused identifiers, d_model 128, 2 + 2 layers (or TIGER's backbone with <c>--backbone tiger</c>),
    /// the 10 most recent history items in the prompt, batch 128 on a CPU and 256 on CUDA, LightGCN at most 60 epochs,
    /// validation each epoch on a fixed sample of up to 1,000 validation users ranked by the harness itself; with
    /// <c>--demo</c>, the quickstart's smaller CPU configuration. Then changed by <paramref name="change"/>.
    /// <c>--max-epochs</c>, <c>--patience</c>, <c>--learning-rate</c>, <c>--pointwise-fraction</c>,
    /// <c>--indexing-fraction</c>, <c>--max-steps</c> and <c>--max-minutes</c> apply.
    /// </summary>
    private static SystemDefinition GenSR(EvaluationSettings settings, string key, string name, string description, Func<GenSRSystemOptions, GenSRSystemOptions> change)
    {
        var defaults = new GenSRTrainingOptions();
        var training = defaults with
        {
            Epochs = settings.MaxEpochs ?? defaults.Epochs,
            Patience = settings.Patience ?? defaults.Patience,
            BatchSize = settings.Device?.type == TorchSharp.DeviceType.CUDA ? 256 : 128,
            ValidationCases = 1000,
            MaxSteps = settings.MaxSteps,
            MaxDuration = settings.MaxMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
        };
        var pipeline = new GenSRPipelineOptions
        {
            PromptHistoryItems = Math.Min(10, settings.MaxHistory),
            CollaborativeTraining = new() { LearningRate = 1e-2, MaxEpochs = 60, EvaluateEvery = 5, Patience = 3 },
        };
        if (settings.Demo)
        {
            // The quickstart's CPU-sized model for the small demo catalogue: 64 wide, no dropout, two identifier levels.
            pipeline = pipeline with
            {
                ModelDimension = 64,
                Dropout = 0,
                PromptHistoryItems = Math.Min(8, settings.MaxHistory),
                TitleTokens = 6,
                Quantizer = new() { Levels = 2, MinItemsPerCode = 8 },
            };
            training = training with { BatchSize = 64, ValidationCases = 300 };
        }

        // After the demo sizes, so that --backbone tiger is TIGER's backbone on any data.
        if (settings.Backbone == "tiger") pipeline = GenSRPipelineOptions.TigerSizedBackbone(pipeline);

        // Category words take item-token room, so the cap doubles to leave the title its share.
        if (settings.ItemCategories) pipeline = pipeline with { ItemTokensIncludeCategories = true, TitleTokens = pipeline.TitleTokens * 2 };

        if (settings.ItemEncoder != "lsa") pipeline = pipeline with { ItemEncoder = SharedEncoders.Get(settings.ItemEncoder, query: false, settings.Threads) };
        if (settings.QueryVectors != "none") pipeline = pipeline with { QueryEncoder = SharedEncoders.Get(settings.QueryVectors, query: true, settings.Threads) };
        if (settings.SemanticView == "vectors") pipeline = pipeline with { SemanticViewInput = SemanticViewInput.ItemVectors };
        else if (settings.SemanticView == "off") pipeline = pipeline with { UseSemanticView = false };
        if (settings.LearningRate is { } rate) training = training with { LearningRate = rate };
        if (settings.PointwiseFraction is { } fraction) training = training with { PointwiseFraction = fraction };
        if (settings.IndexingFraction is { } indexing) training = training with { IndexingFraction = indexing };
        if (settings.BucketByLength is { } bucket) training = training with { BucketByLength = bucket };
        if (settings.ConflictEvery is { } every) training = training with { GradientConflictEvery = every, GradientConflictDenseMix = settings.ConflictDenseMix ?? 0 };

        var options = change(new GenSRSystemOptions(name, pipeline, training));
        // After the system's own change, which decides whether it has a dense head to match words in.
        if (settings.DenseCategories > 0 && options.Pipeline.DenseDimension > 0)
            options = options with { Pipeline = options.Pipeline with { DenseCategoryTokens = settings.DenseCategories, DenseCategoryCosine = settings.DenseCategoryCosine } };
        if (settings.DenseHistory && options.Pipeline.DenseDimension > 0)
            options = options with { Pipeline = options.Pipeline with { DenseHistory = true } };
        if (settings.DenseSoftTokens && options.Pipeline.DenseDimension > 0)
            options = options with { Pipeline = options.Pipeline with { DenseSoftTokens = true } };
        return new(key, description, () => options.Pointwise ? new GenSRPointwiseSystem(options) : new GenSRSystem(options));
    }

    /// <summary>
    /// The pretrained sentence encoders GenSR's options point at, one per model and role for the whole run (they hold no
    /// per-model state; loading one takes about a second and 90 MB). They live as long as the console process.
    /// </summary>
    private static class SharedEncoders
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), OnnxSentenceEncoder> Encoders = new();

        public static OnnxSentenceEncoder Get(string name, bool query, int threads) => Encoders.GetOrAdd((name, query), key =>
        {
            var options = new OnnxSentenceEncoderOptions { Threads = threads > 0 ? threads : null };
            return key.Item1 switch
            {
                "minilm" => OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM, options),
                "arctic" => OnnxSentenceEncoder.Load(PretrainedSentenceModel.ArcticXs, key.Item2 ? options with { TextPrefix = OnnxSentenceEncoder.ArcticQueryPrefix } : options),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected minilm or arctic."),
            };
        });
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
