using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>The pipeline's backbone sizes and the codebook initialisation of identifier embeddings.</summary>
public sealed class PipelineRecipeTests
{
    private static readonly DatasetSplit Split =
        LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 9 }));

    private static GenSRPipelineOptions Options(bool codebookInit) => new()
    {
        Device = TorchSharp.torch.CPU,
        ModelDimension = 32,
        Layers = 1,
        PromptHistoryItems = 4,
        TitleTokens = 4,
        IdentifierSource = Representation.IdentifierSource.Fused,
        InitializeIdentifierEmbeddings = codebookInit,
        Quantizer = new() { MinItemsPerCode = 4 }, // about 25 codes per level, so the distance comparison has pairs to compare
        CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
    };

    [Fact]
    public void The_tiger_sized_backbone_has_tigers_shape()
    {
        var options = GenSRPipelineOptions.TigerSizedBackbone(new GenSRPipelineOptions { PromptHistoryItems = 7 });
        Assert.Equal((128, 4, 1024, 6, 64, 0.1, 7), (options.ModelDimension, options.Layers, options.FeedForwardDimension, options.Heads, options.HeadDimension, options.Dropout, options.PromptHistoryItems));
        TorchRuntime.SetThreads(1);
        var prepared = GenSRPipeline.Prepare(Split, options with { Device = TorchSharp.torch.CPU, CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 } });
        using var model = prepared.Model;
        var backbone = model.Config.Backbone;
        Assert.Equal((128, 1024, 6, 64, 4, 4), (backbone.DModel, backbone.DFf, backbone.NumHeads, backbone.DKv, backbone.NumLayers, backbone.NumDecoderLayers));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenSRPipelineOptions { Heads = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenSRPipelineOptions { FeedForwardDimension = 8 });
    }

    [Fact]
    public void Codebook_initialisation_gives_identifier_embeddings_the_geometry_of_the_codebooks()
    {
        TorchRuntime.SetThreads(1);
        // One model, before and after: two separate Prepare calls need not agree, since LightGCN draws from torch's global
        // generator, which tests running in parallel share.
        var prepared = GenSRPipeline.Prepare(Split, Options(codebookInit: false));
        using var model = prepared.Model;
        var vocabulary = prepared.Builder.Vocabulary;
        var identifiers = prepared.Quantization.Identifiers;
        var rows = identifiers.LevelSizes[0];
        Assert.True(rows >= 10, $"only {rows} first-level codes");
        var first = vocabulary.IdentifierOffset + identifiers.LevelOffset(0);
        using var scope = NewDisposeScope();
        var all = model.Backbone.SharedEmbedding.detach().clone();
        var before = all.narrow(0, first, rows);
        GenSRPipeline.InitializeIdentifierEmbeddings(model, prepared.Quantization, vocabulary, seed: 42);
        var after = model.Backbone.SharedEmbedding.narrow(0, first, rows).detach();
        // Word rows are untouched; identifier rows are replaced, at the embedding's own scale.
        Assert.True(all.narrow(0, 0, first).allclose(model.Backbone.SharedEmbedding.narrow(0, 0, first)));
        Assert.False(before.allclose(after));
        Assert.InRange(after.std().item<float>() / before.std().item<float>(), 0.8f, 1.25f);
        // Pairwise distances between level-1 codes follow those between their centroids (PCA and a rotation keep them).
        var centroids = prepared.Quantization.Codebooks.Levels[0].ToTensor().narrow(0, 0, rows);
        var pairs = ones(rows, rows).triu(1).to(ScalarType.Bool); // each pair once, no diagonal
        Tensor Distances(Tensor v) => cdist(v.unsqueeze(0), v.unsqueeze(0)).squeeze(0).masked_select(pairs);
        var correlation = Correlation(Distances(after), Distances(centroids));
        var unrelated = Correlation(Distances(before), Distances(centroids));
        Assert.True(correlation > 0.95, $"distance correlation {correlation:F3}");
        Assert.True(unrelated < 0.5, $"random rows correlate {unrelated:F3} with the codebook distances");
    }

    private static double Correlation(Tensor x, Tensor y)
    {
        var dx = x - x.mean();
        var dy = y - y.mean();
        return ((dx * dy).sum() / (dx.norm() * dy.norm())).item<float>();
    }
}

/// <summary>The pipeline's semantic item vectors come from a given encoder instead of LSA.</summary>
public sealed class PipelineItemEncoderTests
{
    /// <summary>Item text → a 5-d vector of character statistics; counts calls and never disposes (the caller owns it).</summary>
    private sealed class CharacterEncoder : Representation.ISemanticEncoder
    {
        public List<string> Texts { get; } = [];
        public bool Disposed { get; private set; }
        public int Dimension => 5;
        public Device Device => CPU;

        public Tensor Encode(IReadOnlyList<string> texts, IProgress<Representation.SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            Texts.AddRange(texts);
            var values = texts.SelectMany(t => new float[] { t.Length, t.Count(char.IsUpper), t.Count(c => c == 'e'), t.Count(c => c == ' '), t.GetHashCode(StringComparison.Ordinal) % 101 }).ToArray();
            return tensor(values, [texts.Count, 5]);
        }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void The_item_encoder_replaces_lsa_for_the_identifiers()
    {
        TorchRuntime.SetThreads(1);
        var split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 60, Items = 100, Seed = 4 }));
        var encoder = new CharacterEncoder();
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4,
            Quantizer = new() { MinItemsPerCode = 4 },
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
            ItemEncoder = encoder,
            ItemEncoderFields = Representation.ItemTextFields.Title,
        });
        using var model = prepared.Model;
        Assert.Equal(split.Dataset.Catalog.Select(i => i.Title), encoder.Texts);
        Assert.Equal((nameof(CharacterEncoder), 5), (prepared.Semantic.Label, prepared.Semantic.Dimension));
        Assert.False(encoder.Disposed);
        Assert.Equal(split.Dataset.Catalog.Count, prepared.Quantization.Identifiers.ItemCount);
    }
}
