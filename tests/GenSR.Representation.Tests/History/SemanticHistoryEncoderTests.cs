using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.History;

/// <summary>The semantic history encoder: shapes, shared embedding, padding, soft filtering and learning.</summary>
public sealed class SemanticHistoryEncoderTests
{
    private const int Vocabulary = 40, TokenWidth = 16;

    private static (SemanticHistoryEncoder Encoder, Embedding Embedding) Create(SemanticHistoryEncoderOptions? options = null, int seed = 1)
    {
        manual_seed(seed);
        var embedding = nn.Embedding(Vocabulary, TokenWidth);
        var encoder = new SemanticHistoryEncoder(options ?? new SemanticHistoryEncoderOptions { TokenDimension = TokenWidth, MaxHistoryLength = 8, MaxTokensPerItem = 5 }, embedding);
        encoder.eval();
        return (encoder, embedding);
    }

    [Fact]
    public void Output_and_weights_have_the_documented_shapes_and_the_shared_embedding_is_not_adopted()
    {
        var (encoder, embedding) = Create(new SemanticHistoryEncoderOptions { TokenDimension = TokenWidth, ModelDimension = 8, OutputDimension = 12, MaxTokensPerItem = 4 });
        using (encoder)
        using (embedding)
        using (var scope = NewDisposeScope())
        {
            using var encoding = encoder.Encode(randint(0, Vocabulary, [2, 3, 4]), ones(2, 3, 4, dtype: ScalarType.Bool),
                                                randint(0, 2, [2, 3], dtype: ScalarType.Int64), randn(2, TokenWidth));
            Assert.Equal(new long[] { 2, 12 }, encoding.Vector.shape);
            Assert.Equal(new long[] { 2, 3, 4 }, encoding.Weights.shape);
            Assert.Contains("input_projection.weight", encoder.state_dict().Keys);
            Assert.Contains("layer.attention.self.query.weight", encoder.state_dict().Keys);
            Assert.DoesNotContain(encoder.state_dict().Keys, k => k.Contains("embed") && k.EndsWith("weight") && encoder.state_dict()[k].shape[0] == Vocabulary);
            var own = encoder.parameters().Select(p => p.Handle).ToHashSet();
            Assert.DoesNotContain(embedding.weight!.Handle, own);
        }
    }

    [Fact]
    public void Gradients_reach_the_shared_embedding()
    {
        var (encoder, embedding) = Create();
        using (encoder)
        using (embedding)
        using (var scope = NewDisposeScope())
        {
            var output = encoder.forward(randint(0, Vocabulary, [2, 3, 5]), ones(2, 3, 5, dtype: ScalarType.Bool), null, randn(2, TokenWidth));
            output.pow(2).sum().backward();
            Assert.True(embedding.weight!.grad!.abs().sum().ToSingle() > 0f);
        }
    }

    [Fact]
    public void Adding_padded_items_and_padded_tokens_does_not_change_the_output()
    {
        var (encoder, embedding) = Create();
        using (encoder)
        using (embedding)
        using (var scope = NewDisposeScope())
        {
            var ids = randint(1, Vocabulary, [3, 4, 3]);
            var mask = ones(3, 4, 3, dtype: ScalarType.Bool);
            mask[0, 1, 2] = tensor(false); // a shorter title
            var tasks = randint(0, 2, [3, 4], dtype: ScalarType.Int64);
            var target = randn(3, TokenWidth);
            using var reference = encoder.Encode(ids, mask, tasks, target);

            // Two padded items in front, two padded token slots per item, garbage ids everywhere in the padding.
            var paddedIds = randint(0, Vocabulary, [3, 6, 5]);
            paddedIds.narrow(1, 2, 4).narrow(2, 0, 3).copy_(ids);
            var paddedMask = zeros(3, 6, 5, dtype: ScalarType.Bool);
            paddedMask.narrow(1, 2, 4).narrow(2, 0, 3).copy_(mask);
            var paddedTasks = cat([ones(3, 2, dtype: ScalarType.Int64), tasks], 1);
            using var padded = encoder.Encode(paddedIds, paddedMask, paddedTasks, target);

            Assert.True((padded.Vector - reference.Vector).abs().max().ToSingle() < 1e-5f);
            Assert.True((padded.Weights.narrow(1, 2, 4).narrow(2, 0, 3) - reference.Weights).abs().max().ToSingle() < 1e-6f);
            Assert.Equal(0f, padded.Weights.masked_select(paddedMask.logical_not()).abs().sum().ToSingle());
        }
    }

    [Fact]
    public void Weights_sum_to_one_over_real_tokens_and_an_all_padding_row_stays_finite()
    {
        var (encoder, embedding) = Create();
        using (encoder)
        using (embedding)
        using (var scope = NewDisposeScope())
        {
            var mask = rand(3, 4, 5).gt(0.4);
            mask[2] = zeros(4, 5, dtype: ScalarType.Bool);
            mask[0, 0, 0] = tensor(true);
            mask[1, 0, 0] = tensor(true);
            using var encoding = encoder.Encode(randint(0, Vocabulary, [3, 4, 5]), mask, null, randn(3, TokenWidth));
            Assert.True(encoding.Vector.isfinite().all().ToBoolean());
            var sums = encoding.Weights.sum([1, 2]);
            Assert.True((sums.narrow(0, 0, 2) - 1).abs().max().ToSingle() < 1e-6f);
            Assert.Equal(0f, sums[2].ToSingle());
        }
    }

    [Fact]
    public void Compacting_padding_gives_the_same_vector_weights_and_gradients_as_the_full_sequence()
    {
        var options = new SemanticHistoryEncoderOptions { TokenDimension = TokenWidth, MaxHistoryLength = 8, MaxTokensPerItem = 5 };
        var (compact, embedding) = Create(options, seed: 5);
        var (full, fullEmbedding) = Create(options with { CompactPadding = false }, seed: 5);
        using (compact)
        using (full)
        using (embedding)
        using (fullEmbedding)
        using (var scope = NewDisposeScope())
        {
            // The same weights in both, copied rather than re-seeded: other test classes may draw from torch's global
            // generator on other threads meanwhile.
            full.load_state_dict(compact.state_dict());
            using (no_grad()) fullEmbedding.weight!.copy_(embedding.weight!);
            // Rows with different real-token counts, padding inside and between items, and one row with no real token.
            manual_seed(3);
            var ids = randint(0, Vocabulary, [4, 6, 5]);
            var mask = rand(4, 6, 5).gt(0.55);
            mask[3] = zeros(6, 5, dtype: ScalarType.Bool);
            var tasks = randint(0, 2, [4, 6], dtype: ScalarType.Int64);
            var target = randn(4, TokenWidth);
            using var a = compact.Encode(ids, mask, tasks, target);
            using var b = full.Encode(ids, mask, tasks, target);
            Assert.True(a.Vector.allclose(b.Vector, 1e-5, 1e-6), "vectors differ");
            Assert.True(a.Weights.allclose(b.Weights, 1e-5, 1e-6), "weights differ");
            Assert.Equal(0f, a.Weights.masked_select(mask.logical_not()).abs().sum().ToSingle());
            a.Vector.sum().backward();
            b.Vector.sum().backward();
            Assert.True(embedding.weight!.grad!.allclose(fullEmbedding.weight!.grad!, 1e-4, 1e-6), "gradients differ");
        }
    }

    [Fact]
    public void Different_targets_give_different_outputs()
    {
        var (encoder, embedding) = Create();
        using (encoder)
        using (embedding)
        using (var scope = NewDisposeScope())
        {
            var ids = randint(0, Vocabulary, [2, 4, 5]);
            var mask = ones(2, 4, 5, dtype: ScalarType.Bool);
            using var a = encoder.Encode(ids, mask, null, randn(2, TokenWidth));
            using var b = encoder.Encode(ids, mask, null, randn(2, TokenWidth));
            Assert.True((a.Vector - b.Vector).norm(1).min().ToSingle() > 1e-3f);
        }
    }

    [Fact]
    public void Query_targets_are_masked_means_of_token_embeddings()
    {
        using var embedding = nn.Embedding(5, 2);
        using var scope = NewDisposeScope();
        using (no_grad()) embedding.weight!.copy_(tensor(new float[] { 0, 0, 1, 0, 0, 1, 2, 2, 4, 4 }, [5, 2]));
        var target = HistoryTarget.FromTokens(embedding, tensor(new long[] { 1, 2, 4, 3, 0, 0 }, [2, 3]), tensor(new[] { true, true, false, true, false, false }, [2, 3]));
        Assert.Equal(new[] { 0.5f, 0.5f, 2f, 2f }, target.data<float>().ToArray());
    }

    [Fact]
    public void Learns_to_filter_the_tokens_of_the_item_the_target_describes()
    {
        // Six items of three random tokens each; the target is the (noisy) mean embedding of one item's tokens, as a query
        // naming that item would be. The encoder is trained to put its attention on that item's tokens and to reproduce
        // the item's clean mean embedding.
        const int batch = 48, length = 6, tokens = 3, vocabulary = 100;
        var options = new SemanticHistoryEncoderOptions { TokenDimension = TokenWidth, MaxHistoryLength = length, MaxTokensPerItem = tokens, Dropout = 0.0 };
        manual_seed(5);
        using var embedding = nn.Embedding(vocabulary, TokenWidth);
        using var encoder = new SemanticHistoryEncoder(options, embedding);
        embedding.weight!.requires_grad = false; // the language model's embedding stays fixed here
        var generator = new Generator(23);
        using var optimizer = optim.Adam(encoder.parameters(), lr: 1e-2);
        var fullMask = ones(batch, length, tokens, dtype: ScalarType.Bool);

        (Tensor Attention, Tensor Reconstruction, Tensor Mass) Evaluate()
        {
            var ids = randint(1, vocabulary, [batch, length, tokens], generator: generator);
            var pick = randint(0, length, [batch], generator: generator);
            var described = ids.gather(1, pick.view(batch, 1, 1).expand(batch, 1, tokens)).squeeze(1);
            var clean = HistoryTarget.FromTokens(embedding, described, ones(batch, tokens, dtype: ScalarType.Bool));
            var encoding = encoder.Encode(ids, fullMask, null, clean + 0.3f * randn([batch, TokenWidth], generator: generator));
            var mass = encoding.Weights.sum(2).gather(1, pick.unsqueeze(1)).squeeze(1);
            return (-mass.clamp_min(1e-6).log().mean(), nn.functional.mse_loss(encoding.Vector, clean), mass.mean());
        }

        float attentionBefore, reconstructionBefore, massBefore;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            encoder.eval();
            var (attention, reconstruction, mass) = Evaluate();
            (attentionBefore, reconstructionBefore, massBefore) = (attention.ToSingle(), reconstruction.ToSingle(), mass.ToSingle());
        }
        encoder.train();
        for (var step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (attention, reconstruction, _) = Evaluate();
            (attention + reconstruction).backward();
            optimizer.step();
        }
        encoder.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (attention, reconstruction, mass) = Evaluate();
            Assert.True(attention.ToSingle() < 0.5f * attentionBefore, $"attention loss {attentionBefore} → {attention.ToSingle()}");
            Assert.True(reconstruction.ToSingle() < 0.5f * reconstructionBefore, $"reconstruction loss {reconstructionBefore} → {reconstruction.ToSingle()}");
            Assert.True(mass.ToSingle() > 0.5f, $"attention on the described item's tokens {massBefore:F2} → {mass.ToSingle():F2} (uniform = {1.0 / length:F2})");
        }
    }

    [Fact]
    public void Bad_options_and_inputs_are_rejected_with_clear_messages()
    {
        Assert.Contains("MaxTokensPerItem", Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticHistoryEncoderOptions { TokenDimension = 8, MaxTokensPerItem = 0 }).Message);
        Assert.Contains("TokenDimension", Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticHistoryEncoderOptions { TokenDimension = 0 }).Message);
        using var embedding = nn.Embedding(Vocabulary, 15);
        Assert.Contains("multiple of Heads", Assert.Throws<ArgumentException>(() => new SemanticHistoryEncoder(new SemanticHistoryEncoderOptions { TokenDimension = 15 }, embedding)).Message);
        var (encoder, shared) = Create();
        using (encoder)
        using (shared)
        using (var scope = NewDisposeScope())
        {
            var mask = ones(2, 3, 6, dtype: ScalarType.Bool);
            Assert.Contains("MaxTokensPerItem", Assert.Throws<ArgumentException>(() => encoder.forward(randint(0, Vocabulary, [2, 3, 6]), mask, null, randn(2, TokenWidth))).Message);
            Assert.Contains("tokenMask", Assert.Throws<ArgumentException>(() => encoder.forward(randint(0, Vocabulary, [2, 3, 5]), mask, null, randn(2, TokenWidth))).Message);
            Assert.Contains("tokenIds", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 3, 5), ones(2, 3, 5, dtype: ScalarType.Bool), null, randn(2, TokenWidth))).Message);
        }
    }
}
