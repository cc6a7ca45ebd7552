using System.Diagnostics;
using GenSR.Core;
using GenSR.Representation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Everything before the unified model trains: LightGCN on the training interactions (early stopping on the validation
/// targets), semantic item vectors from title, brand and categories (a pretrained sentence encoder when
/// <see cref="GenSRPipelineOptions.ItemEncoder"/> is given, else LSA), identifiers quantised from
/// the chosen source by residual k-means, the model vocabulary (compact GPT-2 over the catalogue's texts and queries, or
/// a pretrained T5's SentencePiece), and the model with the frozen CF item table and title tokens.
/// </summary>
public static class GenSRPipeline
{
    /// <summary>Prepares representations, identifiers and an untrained model for <paramref name="split"/>.</summary>
    public static GenSRPrepared Prepare(DatasetSplit split, GenSRPipelineOptions? options = null, IProgress<GenSRPipelineProgress>? progress = null,
                                        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        options ??= new GenSRPipelineOptions();
        var device = TorchRuntime.Resolve(options.Device);
        var representationDevice = options.RepresentationDevice ?? device;
        var catalog = split.Dataset.Catalog;
        var elapsed = new Dictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();

        // 1. Collaborative view: LightGCN on the training interactions.
        var collaborative = TrainCollaborative(split, options, representationDevice, progress, cancellationToken);
        elapsed["collaborative"] = clock.Elapsed;
        clock.Restart();

        // 2. Semantic view for identifiers: the given pretrained encoder, else LSA over title, brand and categories.
        var (semantic, fittedLsa) = EncodeSemantic(catalog, options, progress, cancellationToken);
        elapsed["semantic"] = clock.Elapsed;
        clock.Restart();

        // 3. Identifiers.
        var quantization = Quantize(options, representationDevice, semantic, collaborative.ItemEmbeddings, progress, cancellationToken);
        elapsed["identifiers"] = clock.Elapsed;
        clock.Restart();

        // 4. Vocabulary and backbone, then the model and its input builder.
        var (vocabulary, backboneConfig, pretrained) = VocabularyAndBackbone(split, options, quantization.Identifiers, cancellationToken);
        progress?.Report(new GenSRPipelineProgress("vocabulary", $"{vocabulary.Size} tokens ({quantization.Identifiers.TokenCount} identifier tokens)"));
        var (model, builder) =
            BuildModel(split, options, device, backboneConfig, pretrained, vocabulary, quantization, collaborative, semantic, cancellationToken);
        elapsed["model"] = clock.Elapsed;
        progress?.Report(new GenSRPipelineProgress("model", $"{model.parameters().Sum(p => p.numel()):N0} parameters on {device}"));

        // Text-first and RQ-VAE identifiers cannot place a new item: the first mixes two spaces, the second's codebooks are
        // in the encoder's latent space.
        var newItems = options.IdentifierSource == IdentifierSource.TextFirst || options.RqVae is not null
            ? null
            : new NewItemIndex(options.IdentifierSource, quantization.Codebooks, semantic.Vectors, (ISemanticEncoder?)fittedLsa ?? options.ItemEncoder,
                               fittedLsa is null ? semantic.Label : "lsa", fittedLsa is null ? options.ItemEncoderFields : ItemTextFields.Default,
                               ownsEncoder: fittedLsa is not null, options.ItemTokensIncludeCategories, TextVectorsAreSemantic(options));
        if (newItems is null) fittedLsa?.Dispose();
        return new GenSRPrepared(model, builder, catalog.Select(i => i.Key).ToArray(), collaborative, semantic, quantization, elapsed) { NewItems = newItems };
    }

    /// <summary>Trains LightGCN on the training interactions, validated on the validation targets.</summary>
    private static CollaborativeTrainingResult TrainCollaborative(DatasetSplit split, GenSRPipelineOptions options, Device representationDevice,
                                                                  IProgress<GenSRPipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var catalog = split.Dataset.Catalog;
        var userCount = split.Dataset.Users.Count;
        var graph = new InteractionGraph(userCount, catalog.Count, split.TrainingInteractions.Select(i => new UserItemPair(i.UserId, i.ItemId)));
        var targets = Enumerable.Repeat(-1, userCount).ToArray();
        foreach (var c in split.Validation) targets[c.UserId] = c.TargetItemId;
        CollaborativeTrainingResult collaborative;
        using (var lightGcn = new LightGcn(graph, options.LightGcn with { Device = representationDevice, Seed = options.Seed }))
        using (var trainer = new CollaborativeTrainer(lightGcn, graph, new ValidationTargets(targets, catalog.Count),
            options.CollaborativeTraining with { Seed = options.Seed }))
        {
            collaborative = trainer.Train(
                progress is null
                    ? null
                    : new SynchronousProgress<CollaborativeTrainingProgress>(p =>
                        progress.Report(new GenSRPipelineProgress("collaborative", p.ToString() ?? ""))),
                cancellationToken);
        }

        progress?.Report(new GenSRPipelineProgress("collaborative", $"LightGCN: {collaborative.EpochsRun} epochs, best validation Recall@20 " +
            $"{collaborative.BestValidationRecall:F4} at epoch {collaborative.BestEpoch}"));
        return collaborative;
    }

    /// <summary>The semantic item vectors, and the LSA encoder fitted for them when no pretrained encoder is given.</summary>
    private static (ItemEmbeddings Semantic, LsaTextEncoder? FittedLsa) EncodeSemantic(ItemCatalog catalog, GenSRPipelineOptions options,
        IProgress<GenSRPipelineProgress>? progress, CancellationToken cancellationToken)
    {
        ItemEmbeddings semantic;
        LsaTextEncoder? fittedLsa = null;
        if (options.ItemEncoder is { } encoder)
        {
            var name = encoder.GetType().Name;
            using var encoded = encoder.EncodeItems(catalog, options.ItemEncoderFields,
                progress is null
                    ? null
                    : new SynchronousProgress<SemanticEncodingProgress>(p =>
                        progress.Report(new GenSRPipelineProgress("semantic", $"{name}: {p.Encoded}/{p.Total} items"))),
                cancellationToken);
            semantic = new ItemEmbeddings(EmbeddingMatrix.FromTensor(encoded), IdentifierSource.Semantic, name);
        }
        else
        {
            // Kept (by the new-item index) so that items added later get vectors in the same space.
            fittedLsa = LsaTextEncoder.Fit(catalog, options.TextEncoder with { Seed = options.Seed }, cancellationToken: cancellationToken);
            using var encoded = fittedLsa.EncodeItems(catalog, cancellationToken: cancellationToken);
            semantic = new ItemEmbeddings(EmbeddingMatrix.FromTensor(encoded), IdentifierSource.Semantic, "lsa");
        }

        progress?.Report(new GenSRPipelineProgress("semantic", $"{semantic.Label}: {semantic.Dimension}-d item vectors"));
        return (semantic, fittedLsa);
    }

    /// <summary>The items' identifiers from the chosen source and quantiser.</summary>
    private static ItemQuantization Quantize(GenSRPipelineOptions options, Device representationDevice, ItemEmbeddings semantic, ItemEmbeddings collaborative,
                                             IProgress<GenSRPipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var quantizer = ResidualKMeansQuantizer.Create(options.Quantizer with { Device = representationDevice, Seed = options.Seed });
        IItemQuantizer chosen = options.RqVae is { } rqVae
            ? RqVaeQuantizer.Create(rqVae with { Device = representationDevice, Seed = options.Seed })
            : quantizer;
        var quantization = options.IdentifierSource switch
        {
            IdentifierSource.Semantic => chosen.Quantize(semantic, cancellationToken: cancellationToken),
            IdentifierSource.Collaborative => chosen.Quantize(collaborative, cancellationToken: cancellationToken),
            IdentifierSource.Fused => chosen.Quantize(ItemEmbeddings.Fuse(collaborative, semantic), cancellationToken: cancellationToken),
            IdentifierSource.TextFirst when options.RqVae is not null =>
                throw new ArgumentException("Text-first identifiers are made by residual k-means; leave GenSRPipelineOptions.RqVae null for them.",
                    nameof(options)),
            IdentifierSource.TextFirst => quantizer.QuantizeTextFirst(semantic, collaborative, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.IdentifierSource, "Unknown identifier source."),
        };
        var identifiers = quantization.Identifiers;
        progress?.Report(new GenSRPipelineProgress("identifiers",
            $"{options.IdentifierSource} identifiers ({(options.RqVae is null ? "residual k-means" : "RQ-VAE")}): levels " +
            $"[{string.Join(" × ", identifiers.LevelSizes)}], raw collision rate {quantization.RawCollisions}"));
        return quantization;
    }

    /// <summary>The vocabulary and backbone config: a pretrained backbone's (loaded, its embeddings resized), else a compact vocabulary over training
    /// text and a small T5.</summary>
    private static (ModelVocabulary Vocabulary, T5Config Backbone, T5Checkpoint? Pretrained) VocabularyAndBackbone(DatasetSplit split,
        GenSRPipelineOptions options, IdentifierTable identifiers, CancellationToken cancellationToken)
    {
        if (options.PretrainedBackbone is { } folder)
        {
            var pretrained = T5Checkpoint.Load(folder);
            var spiece = Path.Combine(folder, T5Checkpoint.TokenizerFileName);
            if (!File.Exists(spiece)) throw new FileNotFoundException(
                $"The pretrained backbone folder \"{folder}\" has no {T5Checkpoint.TokenizerFileName}.", spiece);
            var pretrainedVocabulary = PretrainedTokenizerVocabulary.LoadSentencePiece(spiece, identifiers.TokenCount, pretrained.Config.VocabSize);
            pretrained.Model.ResizeTokenEmbeddings(pretrainedVocabulary.Size);
            return (pretrainedVocabulary, pretrained.Model.Config, pretrained);
        }

        // Training data only: the catalogue's texts and the training part's queries. Validation and test queries are
        // read with whatever tokens this vocabulary has, as a served model reads a new user's query.
        var corpus = split.Dataset.Catalog.Select(i => i.Text).Concat(split.TrainingExamples.Select(e => e.Target.Query).OfType<string>());
        // Item tokens with category words read them lower-cased and space-joined, which tokenises differently from the
        // item text; without them here, words no training query used would all read as the unknown token, and the dense
        // head's word match would see different categories as one.
        if (options.DenseCategoryTokens > 0 || options.ItemTokensIncludeCategories)
        {
            var synthesizer = new CategoryQuerySynthesizer();
            corpus = corpus.Concat(split.Dataset.Catalog.Select(synthesizer.CategoryWords));
        }
        var vocabulary = CompactGpt2Vocabulary.Build(corpus, identifiers.TokenCount, cancellationToken: cancellationToken);
        var small = T5Config.Small(vocabulary.Size, options.ModelDimension, options.Layers, options.Dropout);
        var backbone = small with
        {
            NumHeads = options.Heads ?? small.NumHeads,
            DKv = options.HeadDimension,
            DFf = options.FeedForwardDimension ?? small.DFf,
            PadTokenId = vocabulary.PadId,
            EosTokenId = vocabulary.EosId,
            DecoderStartTokenId = vocabulary.PadId,
        };
        return (vocabulary, backbone, null);
    }

    /// <summary>The unified model (on <paramref name="device"/>, a pretrained backbone's weights loaded) and its input builder.</summary>
    private static (GenSRModel Model, GenSRInputBuilder Builder) BuildModel(DatasetSplit split, GenSRPipelineOptions options, Device device,
        T5Config backboneConfig, T5Checkpoint? pretrained, ModelVocabulary vocabulary, ItemQuantization quantization,
        CollaborativeTrainingResult collaborative, ItemEmbeddings semantic, CancellationToken cancellationToken)
    {
        var catalog = split.Dataset.Catalog;
        var config = new GenSRModelConfig
        {
            Backbone = backboneConfig,
            ItemCount = catalog.Count,
            CollaborativeDimension = collaborative.ItemEmbeddings.Dimension,
            MaxHistory = split.Options.MaxHistory,
            TitleTokens = options.TitleTokens,
            UseCollaborativeView = options.UseCollaborativeView,
            UseSemanticView = options.UseSemanticView,
            HistoryDropout = options.Dropout,
            DenseDimension = options.DenseDimension,
            DenseCategoryTokens = options.DenseCategoryTokens,
            DenseHistory = options.DenseHistory,
            DenseCategoryCosine = options.DenseCategoryCosine,
            DenseSoftTokens = options.DenseSoftTokens,
            QueryVectorDimension = options.QueryEncoder?.Dimension ?? 0,
            SemanticViewInput = options.SemanticViewInput,
        };
        using var textVectors = ItemTextVectors(options, catalog, semantic, cancellationToken);
        config = (textVectors is null ? config : config with { ItemTextVectorDimension = (int)textVectors.shape[1] }).Validate();
        using var cf = collaborative.ItemEmbeddings.ToTensor();
        using var titles = ItemTokens(catalog, vocabulary, config, options.ItemTokensIncludeCategories);
        var model = new GenSRModel(config, cf, titles, vocabulary.PadId, device: null, seed: options.Seed, itemTextVectors: textVectors);
        if (pretrained is not null)
        {
            using (pretrained)
                model.Backbone.LoadWeights(pretrained.Model.state_dict(), options.PretrainedBackbone!);
        }

        if (options.InitializeIdentifierEmbeddings) InitializeIdentifierEmbeddings(model, quantization, vocabulary, options.Seed);
        if (device.type != DeviceType.CPU) model.to(device);
        var builder = new GenSRInputBuilder(config, vocabulary, quantization.Identifiers, catalog.Select(i => i.Title).ToArray(),
                                            Math.Min(options.PromptHistoryItems, config.MaxHistory), options.QueryEncoder);
        return (model, builder);
    }

    /// <summary>Whether <see cref="ItemTextVectors"/> gives the semantic item vectors themselves.</summary>
    private static bool TextVectorsAreSemantic(GenSRPipelineOptions options) => options.QueryEncoder is { } queries
        ? options.ItemEncoder is { } items && items.Dimension == queries.Dimension
        : options.UseSemanticView && options.SemanticViewInput == SemanticViewInput.ItemVectors;

    /// <summary>
    /// The model's item text-vector table, or null when nothing reads it. With a query encoder: the items' vectors in its
    /// space, the item encoder's vectors when it has the query encoder's width (one family, e.g. arctic items and prefixed
    /// arctic queries), else the query encoder's. Without one, for a semantic view over item vectors: the semantic item
    /// vectors the identifiers were built from.
    /// </summary>
    private static Tensor? ItemTextVectors(GenSRPipelineOptions options, ItemCatalog catalog, ItemEmbeddings semantic, CancellationToken cancellationToken)
    {
        if (TextVectorsAreSemantic(options)) return semantic.ToTensor();
        if (options.QueryEncoder is not { } queries) return null;
        using var encoded = queries.EncodeItems(catalog, options.ItemEncoderFields, cancellationToken: cancellationToken);
        return encoded.to(ScalarType.Float32).cpu().detach().clone();
    }

    /// <summary>
    /// The item token table of a model with <paramref name="config"/>, pad-filled <c>[items, title_tokens +
    /// dense_category_tokens]</c>: <see cref="TitleTokens"/>, then (with <see cref="GenSRModelConfig.DenseCategoryTokens"/>)
    /// the first tokens of each item's category words, which the dense head matches against query words (all pad for an
    /// item without categories).
    /// </summary>
    public static Tensor ItemTokens(IReadOnlyList<Item> items, ModelVocabulary vocabulary, GenSRModelConfig config, bool includeCategories = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Tokens(items, vocabulary, config.TitleTokens, includeCategories, config.DenseCategoryTokens);
    }

    /// <summary>
    /// The first <paramref name="count"/> item tokens of every item, pad-filled <c>[items, count]</c>: the title's tokens,
    /// or with <paramref name="includeCategories"/> the category words' tokens followed by the title's. An item with no
    /// text becomes the unknown token.
    /// </summary>
    public static Tensor TitleTokens(IReadOnlyList<Item> items, ModelVocabulary vocabulary, int count, bool includeCategories = false) =>
        Tokens(items, vocabulary, count, includeCategories, categoryCount: 0);

    /// <summary>One pad-filled table <c>[items, titleCount + categoryCount]</c>: the title columns, then the category-word columns.</summary>
    private static Tensor Tokens(IReadOnlyList<Item> items, ModelVocabulary vocabulary, int titleCount, bool includeCategories, int categoryCount)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(titleCount, 1);
        var synthesizer = includeCategories || categoryCount > 0 ? new CategoryQuerySynthesizer() : null;
        var width = titleCount + categoryCount;
        var ids = new long[items.Count * width];
        Array.Fill(ids, vocabulary.PadId);
        for (var i = 0; i < items.Count; i++)
        {
            var words = synthesizer?.CategoryWords(items[i]) ?? "";
            var text = items[i].Title ?? "";
            if (includeCategories && words.Length > 0) text = text.Length == 0 ? words : words + " " + text;
            var tokens = string.IsNullOrWhiteSpace(text) ? [] : vocabulary.EncodeText(text);
            if (tokens.Length == 0) tokens = [vocabulary.UnknownId];
            Copy(tokens, ids, i * width, titleCount);
            if (categoryCount > 0 && words.Length > 0) Copy(vocabulary.EncodeText(words), ids, i * width + titleCount, categoryCount);
        }

        return tensor(ids, items.Count, width, dtype: ScalarType.Int64);

        static void Copy(int[] tokens, long[] ids, int start, int count)
        {
            for (var t = 0; t < Math.Min(count, tokens.Length); t++) ids[start + t] = tokens[t];
        }
    }

    /// <summary>
    /// Writes the quantiser's codebook vectors into the embedding rows of the identifier tokens, so that codes close in the
    /// item space start close in the model (as TIGER's semantic IDs mean to be). Each level's centroids are centred,
    /// reduced to d_model by PCA when they are wider (which keeps their pairwise distances up to the dropped components),
    /// turned by a seeded random rotation so that no embedding coordinate is favoured, and scaled to the standard
    /// deviation the embedding had. Levels without codebook vectors (the appended collision level) keep their random rows.
    /// </summary>
    public static void InitializeIdentifierEmbeddings(GenSRModel model, ItemQuantization quantization, ModelVocabulary vocabulary, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(quantization);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var weight = model.Backbone.SharedEmbedding;
        var d = weight.shape[1];
        var identifiers = quantization.Identifiers;
        var codebooks = quantization.Codebooks;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var std = weight.std().item<float>();
        using var generator = new Generator((ulong)seed);
        var rotation = linalg.qr(randn([d, d], generator: generator)).Q;
        for (var level = 0; level < Math.Min(codebooks.Levels.Count, identifiers.LevelSizes.Count); level++)
        {
            var centroids = codebooks.Levels[level];
            var rows = Math.Min(centroids.Rows, identifiers.LevelSizes[level]);
            if (rows < 2) continue;
            var vectors = centroids.ToTensor().narrow(0, 0, rows);
            vectors = vectors.Minus(vectors.mean([0], keepdim: true));
            if (vectors.shape[1] > d)
            {
                var (u, s, _) = linalg.svd(vectors, fullMatrices: false);
                var k = Math.Min(d, s.shape[0]);
                vectors = u.narrow(1, 0, k) * s.narrow(0, 0, k);
            }

            if (vectors.shape[1] < d) vectors = nn.functional.pad(vectors, [0, d - vectors.shape[1]]);
            vectors = vectors.matmul(rotation);
            var spread = vectors.std().item<float>();
            if (!(spread > 0)) continue;
            vectors = vectors.MulScalar(std / spread);
            var first = vocabulary.IdentifierOffset + identifiers.LevelOffset(level);
            weight.narrow(0, first, rows).copy_(vectors.to(weight.dtype, weight.device));
        }
    }
}
