using GenSR.Core;
using GenSR.Representation;
using TorchSharp;

namespace GenSR.Unify;

/// <summary>
/// Options of <see cref="GenSRPipeline.Prepare"/>: the collaborative encoder, the text encoder, the identifier source and
/// quantizer, and the size of the unified model. Defaults suit catalogues of a few thousand items on a CPU; larger data
/// (or a GPU) wants a larger backbone. Immutable; each value is checked where it is set.
/// </summary>
public sealed record GenSRPipelineOptions
{
    /// <summary>LightGCN's options (64-d, 2 layers by default; He et al., SIGIR 2020).</summary>
    public LightGcnOptions LightGcn { get; init => field = value ?? throw new ArgumentNullException(nameof(LightGcn)); } = new();

    /// <summary>How LightGCN is trained (BPR, early stopping on validation Recall@20). Default: learning rate 0.01, at most
    /// 200 epochs, validation every 5 epochs, patience 4 validations.</summary>
    public CollaborativeTrainingOptions CollaborativeTraining
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(CollaborativeTraining));
    } = new() { LearningRate = 1e-2, MaxEpochs = 200, EvaluateEvery = 5, Patience = 4 };

    /// <summary>The LSA text encoder's options (semantic item vectors for identifiers).</summary>
    public LsaTextEncoderOptions TextEncoder { get; init => field = value ?? throw new ArgumentNullException(nameof(TextEncoder)); } = new() { Dimension = 64 };

    /// <summary>
    /// A pretrained sentence encoder for the semantic item vectors the identifiers are quantised from (for example
    /// <c>OnnxSentenceEncoder.Load(PretrainedSentenceModel.MiniLM)</c> from GenSR.Representation.SentenceEncoders), reading
    /// <see cref="ItemEncoderFields"/>. Null (default): LSA fitted on the catalogue (<see cref="TextEncoder"/>), which needs
    /// no download. The caller owns the encoder (the pipeline does not dispose it).
    /// </summary>
    public ISemanticEncoder? ItemEncoder { get; init; }

    /// <summary>
    /// A pretrained sentence encoder of the queries (for arctic-embed, one with its query prefix). When given, the model
    /// reads query vectors (<see cref="GenSRModelConfig.QueryVectorDimension"/>): the projected vector is the search
    /// prompt's <c>[query_vec]</c> soft token and joins the history encoders' search target, and the dense head compares it
    /// with the items' vectors from the same encoder family (<see cref="ItemEncoder"/>'s when it has the same width, else
    /// this encoder's over <see cref="ItemEncoderFields"/>). Null (default): queries are read as tokens only. The caller
    /// owns the encoder and gives it again when loading a checkpoint of such a model.
    /// </summary>
    public ISemanticEncoder? QueryEncoder { get; init; }

    /// <summary>The item fields <see cref="ItemEncoder"/> reads. Default title, brand and categories (what LSA reads).</summary>
    public ItemTextFields ItemEncoderFields { get; init; } = ItemTextFields.Default;

    /// <summary>Which item vectors the identifiers are quantised from. Default <see cref="IdentifierSource.Fused"/>.</summary>
    public IdentifierSource IdentifierSource { get; init; } = IdentifierSource.Fused;

    /// <summary>Residual k-means options. Default 3 levels × at most 256 codes, with at least 32 items per code (so a
    /// 500-item catalogue gets 15 codes per level): small codebooks keep the identifier tree learnable.</summary>
    public ResidualKMeansOptions Quantizer
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Quantizer));
    } = new() { MinItemsPerCode = 32 };

    /// <summary>
    /// RQ-VAE options (TIGER's quantiser: an MLP encoder, residual codebooks trained with straight-through gradients, an
    /// MLP decoder), or null (default) for residual k-means with <see cref="Quantizer"/>. Not with
    /// <see cref="IdentifierSource.TextFirst"/>. A model with RQ-VAE identifiers cannot add items after training (the
    /// codebooks live in the encoder's latent space), so <see cref="GenSRPrepared.NewItems"/> is null.
    /// </summary>
    public RqVaeOptions? RqVae { get; init; }

    /// <summary>Width of the backbone (d_model; heads of 32). Default 128; a multiple of 32.</summary>
    public int ModelDimension
    {
        get;
        init => field = value is >= 32 and <= 4096 && value % 32 == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ModelDimension), value,
                "GenSRPipelineOptions.ModelDimension must be a multiple of 32 in [32, 4096].");
    } = 128;

    /// <summary>Encoder and decoder layers of the backbone. Default 2; 1 … 48.</summary>
    public int Layers { get; init => field = OptionGuard.InRange(value, 1, 48, nameof(Layers), nameof(GenSRPipelineOptions)); } = 2;

    /// <summary>Attention heads of the backbone. Null (default): d_model / 32; otherwise 1 … 64.</summary>
    public int? Heads { get; init => field = OptionGuard.InRange(value, 1, 64, nameof(Heads), nameof(GenSRPipelineOptions)); }

    /// <summary>Width of each attention head (T5's d_kv; heads × d_kv need not equal d_model). Default 32; 8 … 512.</summary>
    public int HeadDimension { get; init => field = OptionGuard.InRange(value, 8, 512, nameof(HeadDimension), nameof(GenSRPipelineOptions)); } = 32;

    /// <summary>Width of the backbone's feed-forward layers (d_ff). Null (default): 4 × d_model; otherwise 16 … 65,536.</summary>
    public int? FeedForwardDimension
    {
        get;
        init => field = OptionGuard.InRange(value, 16, 65_536, nameof(FeedForwardDimension), nameof(GenSRPipelineOptions));
    }

    /// <summary>
    /// The backbone of TIGER (Rajput et al., NeurIPS 2023, §4.1): 4 encoder and 4 decoder layers, d_model 128, d_ff 1024,
    /// 6 heads of 64 dimensions, dropout 0.1; the rest of <paramref name="options"/> is kept.
    /// </summary>
    public static GenSRPipelineOptions TigerSizedBackbone(GenSRPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { ModelDimension = 128, Layers = 4, FeedForwardDimension = 1024, Heads = 6, HeadDimension = 64, Dropout = 0.1 };
    }

    /// <summary>
    /// TIGER (Rajput et al., NeurIPS 2023) from the library's parts: semantic identifiers from the item text vectors
    /// (<see cref="ItemEncoder"/>: give the pretrained sentence encoder; LSA otherwise), quantised by RQ-VAE with 3 levels
    /// of up to 256 codes and a fourth level appended for collisions (§3.1); TIGER's backbone
    /// (<see cref="TigerSizedBackbone"/>); the 20 most recent items in the prompt (§4.1); no collaborative or semantic
    /// history view and no dense head, so the model is a plain sequence-to-sequence recommender over identifiers. Train
    /// it with <see cref="GenSRTrainingOptions.Tiger"/>. The rest of <paramref name="options"/> (device, seed,
    /// encoders) is kept.
    /// </summary>
    /// <param name="options">The options to start from.</param>
    /// <returns>The TIGER configuration.</returns>
    public static GenSRPipelineOptions Tiger(GenSRPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TigerSizedBackbone(options) with
        {
            IdentifierSource = IdentifierSource.Semantic,
            RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 256, Collisions = CollisionStrategy.AppendLevel, Seed = options.Seed },
            PromptHistoryItems = 20,
            UseCollaborativeView = false,
            UseSemanticView = false,
            DenseDimension = 0,
        };
    }

    /// <summary>Dropout of the backbone and the two history encoders. Default 0.1; in [0, 1).</summary>
    public double Dropout { get; init => field = OptionGuard.InRange(value, 0, 1, nameof(Dropout), nameof(GenSRPipelineOptions), maxExclusive: true); } = 0.1;

    /// <summary>Most recent history items written into the prompt as identifier tokens. Default 20 (the history cap); 0 … 4096.</summary>
    public int PromptHistoryItems { get; init => field = OptionGuard.InRange(value, 0, 4096, nameof(PromptHistoryItems), nameof(GenSRPipelineOptions)); } = 20;

    /// <summary>Title tokens per item for the semantic view. Default 10; 1 … 512.</summary>
    public int TitleTokens { get; init => field = OptionGuard.InRange(value, 1, 512, nameof(TitleTokens), nameof(GenSRPipelineOptions)); } = 10;

    /// <summary>
    /// Put an item's category words (lower-case, as <see cref="GenSR.Core.CategoryQuerySynthesizer.CategoryWords"/>
    /// writes them) before its title in the item tokens that the semantic view and the dense head's item table read, so
    /// that query words meet the words of the categories they name. The <see cref="TitleTokens"/> cap applies to the
    /// whole sequence. Default false (title only).
    /// </summary>
    public bool ItemTokensIncludeCategories { get; init; }

    /// <summary>
    /// Start the identifier tokens' embeddings from the quantiser's codebook vectors
    /// (<see cref="GenSRPipeline.InitializeIdentifierEmbeddings"/>) instead of random rows. Default false.
    /// </summary>
    public bool InitializeIdentifierEmbeddings { get; init; }

    /// <summary>
    /// Width of the dense retrieval head on the shared encoder (<see cref="GenSRModelConfig.DenseDimension"/>), or 0
    /// for a purely generative model. Default 0; 0 … 4096.
    /// </summary>
    public int DenseDimension { get; init => field = OptionGuard.InRange(value, 0, 4096, nameof(DenseDimension), nameof(GenSRPipelineOptions)); }

    /// <summary>
    /// Category-word tokens per item that the dense head matches against the query's words
    /// (<see cref="GenSRModelConfig.DenseCategoryTokens"/>), or 0 for none. Unlike
    /// <see cref="ItemTokensIncludeCategories"/> this leaves the semantic view's input, and so the cost of a step, as it
    /// is. Needs <see cref="DenseDimension"/> &gt; 0. Default 0; 0 … 512.
    /// </summary>
    public int DenseCategoryTokens { get; init => field = OptionGuard.InRange(value, 0, 512, nameof(DenseCategoryTokens), nameof(GenSRPipelineOptions)); }

    /// <summary>
    /// Whether the dense head's user vector also reads the history items' own item-table rows, recency-weighted
    /// (<see cref="GenSRModelConfig.DenseHistory"/>). Needs <see cref="DenseDimension"/> &gt; 0. Default false.
    /// </summary>
    public bool DenseHistory { get; init; }

    /// <summary>
    /// Whether the dense head also adds a learned-scale cosine match of the query's words with the category words
    /// (<see cref="GenSRModelConfig.DenseCategoryCosine"/>). Needs <see cref="DenseCategoryTokens"/> &gt; 0. Default false.
    /// </summary>
    public bool DenseCategoryCosine { get; init; }

    /// <summary>
    /// Whether the dense head's user vector also adds the projected user soft tokens of the history views
    /// (<see cref="GenSRModelConfig.DenseSoftTokens"/>). Needs <see cref="DenseDimension"/> &gt; 0 and a history view. Default false.
    /// </summary>
    public bool DenseSoftTokens { get; init; }

    /// <summary>Use the collaborative view (ablation switch). Default true.</summary>
    public bool UseCollaborativeView { get; init; } = true;

    /// <summary>Use the semantic view (ablation switch). Default true.</summary>
    public bool UseSemanticView { get; init; } = true;

    /// <summary>
    /// What the semantic history view reads (<see cref="SemanticViewInput"/>). Default title tokens (the paper's view).
    /// With <see cref="SemanticViewInput.ItemVectors"/> it reads one frozen vector per history item: the query encoder's
    /// item vectors when there is one (the same table the dense head reads), else the semantic item vectors the identifiers
    /// were built from (<see cref="ItemEncoder"/>'s, or LSA's).
    /// </summary>
    public SemanticViewInput SemanticViewInput { get; init; } = SemanticViewInput.TitleTokens;

    /// <summary>
    /// A Hugging Face T5 checkpoint folder (<c>config.json</c>, <c>model.safetensors</c>, <c>spiece.model</c>) to start the
    /// backbone from, e.g. flan-t5-small. Null (default): a small randomly initialised backbone and a compact GPT-2 vocabulary.
    /// </summary>
    public string? PretrainedBackbone { get; init; }

    /// <summary>Where everything runs; null (the default) for the first CUDA device when one is available, else the CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>
    /// Where LightGCN and the quantizer run, when different from <see cref="Device"/> (e.g. the CPU while the unified
    /// model trains on a GPU). Null (default): <see cref="Device"/>.
    /// </summary>
    public torch.Device? RepresentationDevice { get; init; }

    /// <summary>Seed of every random choice. Default 42.</summary>
    public long Seed { get; init; } = 42;
}
