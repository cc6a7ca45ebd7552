using GenSR.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.History;

/// <summary>The collaborative history encoder: shapes, padding, target attention and learning.</summary>
public sealed class CollaborativeHistoryEncoderTests
{
    private static readonly CollaborativeHistoryEncoderOptions Small = new() { ItemDimension = 16, ModelDimension = 32, OutputDimension = 24, MaxHistoryLength = 12 };

    private static CollaborativeHistoryEncoder Create(CollaborativeHistoryEncoderOptions? options = null, int seed = 1)
    {
        manual_seed(seed);
        var encoder = new CollaborativeHistoryEncoder(options ?? Small);
        encoder.eval();
        return encoder;
    }

    [Fact]
    public void Output_and_weights_have_the_documented_shapes()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var items = randn(3, 7, 16);
        var mask = ones(3, 7, dtype: ScalarType.Bool);
        var tasks = randint(0, 2, [3, 7], dtype: ScalarType.Int64);
        using var encoding = encoder.Encode(items, mask, tasks, randn(3, 16));
        Assert.Equal(new long[] { 3, 24 }, encoding.Vector.shape);
        Assert.Equal(new long[] { 3, 7 }, encoding.Weights.shape);
        Assert.Equal(new long[] { 3, 24 }, encoder.forward(items, mask, null, randn(3, 16)).shape);
    }

    [Fact]
    public void Parameters_carry_HF_style_layer_names()
    {
        using var encoder = Create();
        var names = encoder.state_dict().Keys.ToHashSet();
        Assert.Contains("layer.attention.self.query.weight", names);
        Assert.Contains("layer.attention.output.LayerNorm.weight", names);
        Assert.Contains("layer.intermediate.dense.weight", names);
        Assert.Contains("layer.output.dense.bias", names);
        Assert.Contains("position_embeddings.weight", names);
        Assert.Contains("task_embeddings.weight", names);
        Assert.Contains("target_attention.dense.weight", names);
        using var plain = Create(Small with { UseTaskEmbedding = false, UsePositionEmbedding = false });
        Assert.DoesNotContain("task_embeddings.weight", plain.state_dict().Keys);
        Assert.DoesNotContain("position_embeddings.weight", plain.state_dict().Keys);
    }

    [Fact]
    public void Adding_padding_anywhere_does_not_change_the_output()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var items = randn(4, 5, 16);
        var tasks = randint(0, 2, [4, 5], dtype: ScalarType.Int64);
        var target = randn(4, 16);
        var reference = encoder.Encode(items, ones(4, 5, dtype: ScalarType.Bool), tasks, target);

        // Three padding slots on the left and two on the right, holding garbage vectors and task ids.
        var padded = cat([randn(4, 3, 16) * 100, items, randn(4, 2, 16) * 100], 1);
        var paddedMask = cat([zeros(4, 3, dtype: ScalarType.Bool), ones(4, 5, dtype: ScalarType.Bool), zeros(4, 2, dtype: ScalarType.Bool)], 1);
        var paddedTasks = cat([ones(4, 3, dtype: ScalarType.Int64), tasks, zeros(4, 2, dtype: ScalarType.Int64)], 1);
        var result = encoder.Encode(padded, paddedMask, paddedTasks, target);

        Assert.True((result.Vector - reference.Vector).abs().max().ToSingle() < 1e-5f);
        Assert.True((result.Weights.narrow(1, 3, 5) - reference.Weights).abs().max().ToSingle() < 1e-6f);
        Assert.Equal(0f, result.Weights.narrow(1, 0, 3).abs().sum().ToSingle());
        Assert.Equal(0f, result.Weights.narrow(1, 8, 2).abs().sum().ToSingle());
    }

    [Fact]
    public void Weights_sum_to_one_over_real_items_and_an_all_padding_row_stays_finite()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var mask = tensor(new[] { true, true, false, true, false, false, true, true, true, false, false, false, false, false, false, false, false, false }, [3, 6]);
        using var encoding = encoder.Encode(randn(3, 6, 16), mask, randint(0, 2, [3, 6], dtype: ScalarType.Int64), randn(3, 16));
        Assert.True(encoding.Vector.isfinite().all().ToBoolean());
        Assert.True(encoding.Weights.isfinite().all().ToBoolean());
        var sums = encoding.Weights.sum(1);
        Assert.True((sums.narrow(0, 0, 2) - 1).abs().max().ToSingle() < 1e-6f);
        Assert.Equal(0f, sums[2].ToSingle());
        Assert.Equal(0f, encoding.Weights.masked_select(mask.logical_not()).abs().sum().ToSingle());
    }

    [Fact]
    public void Different_targets_give_different_outputs()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var items = randn(2, 6, 16);
        var mask = ones(2, 6, dtype: ScalarType.Bool);
        var a = encoder.Encode(items, mask, null, randn(2, 16));
        var b = encoder.Encode(items, mask, null, randn(2, 16));
        Assert.True((a.Weights - b.Weights).abs().max().ToSingle() > 1e-3f);
        Assert.True((a.Vector - b.Vector).norm(1).min().ToSingle() > 1e-3f);
    }

    [Fact]
    public void Task_ids_and_recency_change_the_output()
    {
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var items = randn(1, 4, 16);
        var mask = ones(1, 4, dtype: ScalarType.Bool);
        var target = randn(1, 16);
        var rec = encoder.forward(items, mask, zeros(1, 4, dtype: ScalarType.Int64), target);
        var search = encoder.forward(items, mask, ones(1, 4, dtype: ScalarType.Int64), target);
        var reversed = encoder.forward(items.flip(1), mask, zeros(1, 4, dtype: ScalarType.Int64), target);
        Assert.True((rec - search).abs().max().ToSingle() > 1e-4f);
        Assert.True((rec - reversed).abs().max().ToSingle() > 1e-4f);
    }

    [Fact]
    public void Learns_to_attend_to_the_history_item_most_similar_to_the_target()
    {
        // Each history holds 3 … 8 random unit CF vectors (left-padded); the target is one of them plus noise. The encoder is
        // trained to put its attention on that item and to reproduce the item's clean vector.
        const int batch = 64, length = 8, d = 16;
        using var encoder = Create(Small with { OutputDimension = d, Dropout = 0.0 }, seed: 3);
        encoder.train();
        var generator = new Generator(17);
        using var optimizer = optim.Adam(encoder.parameters(), lr: 1e-2);

        (Tensor Items, Tensor Mask, Tensor Target, Tensor Answer, Tensor Pick) Sample()
        {
            var items = nn.functional.normalize(randn([batch, length, d], generator: generator), p: 2, dim: -1);
            var real = randint(3, length + 1, [batch, 1], generator: generator);
            var mask = arange(length).unsqueeze(0).ge(length - real);
            var pick = (length - 1 - (rand([batch], generator: generator) * real.squeeze(1)).floor().to(ScalarType.Int64)).clamp(0, length - 1);
            var answer = items.gather(1, pick.view(batch, 1, 1).expand(batch, 1, d)).squeeze(1);
            return (items, mask, answer + 0.3f * randn([batch, d], generator: generator), answer, pick);
        }

        (Tensor Attention, Tensor Reconstruction, Tensor Mass, Tensor Hits) Evaluate()
        {
            var (items, mask, target, answer, pick) = Sample();
            var encoding = encoder.Encode(items, mask, null, target);
            var mass = encoding.Weights.gather(1, pick.unsqueeze(1)).squeeze(1);
            return (-mass.clamp_min(1e-6).log().mean(), nn.functional.mse_loss(encoding.Vector, answer), mass.mean(), encoding.Weights.argmax(1).eq(pick));
        }

        float attentionBefore, reconstructionBefore, massBefore;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            encoder.eval();
            var (attention, reconstruction, mass, _) = Evaluate();
            (attentionBefore, reconstructionBefore, massBefore) = (attention.ToSingle(), reconstruction.ToSingle(), mass.ToSingle());
            encoder.train();
        }
        for (var step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (attention, reconstruction, _, _) = Evaluate();
            (attention + reconstruction).backward();
            optimizer.step();
        }
        encoder.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (attention, reconstruction, mass, hits) = Evaluate();
            var accuracy = hits.to(ScalarType.Float32).mean().ToSingle();
            Assert.True(attention.ToSingle() < 0.3f * attentionBefore, $"attention loss {attentionBefore} → {attention.ToSingle()}");
            Assert.True(reconstruction.ToSingle() < 0.3f * reconstructionBefore, $"reconstruction loss {reconstructionBefore} → {reconstruction.ToSingle()}");
            Assert.True(mass.ToSingle() > 0.6f, $"attention on the target's item {massBefore:F2} → {mass.ToSingle():F2}");
            Assert.True(accuracy > 0.7f, $"attention picks the target's item in {accuracy:P0} of histories (uniform ≈ 20%)");
        }
    }

    [Fact]
    public void Bad_options_and_inputs_are_rejected_with_clear_messages()
    {
        Assert.Contains("Heads", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeHistoryEncoderOptions { Heads = 0 }).Message);
        Assert.Contains("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeHistoryEncoderOptions { Dropout = 1 }).Message);
        Assert.Contains("ItemDimension", Assert.Throws<ArgumentOutOfRangeException>(() => new CollaborativeHistoryEncoderOptions { ItemDimension = 0 }).Message);
        Assert.Contains("multiple of Heads", Assert.Throws<ArgumentException>(() => new CollaborativeHistoryEncoder(Small with { ModelDimension = 33 })).Message);
        using var encoder = Create();
        using var scope = NewDisposeScope();
        var mask = ones(2, 4, dtype: ScalarType.Bool);
        Assert.Contains("itemEmbeddings", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 4, 15), mask, null, randn(2, 16))).Message);
        Assert.Contains("MaxHistoryLength", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 13, 16), ones(2, 13, dtype: ScalarType.Bool), null, randn(2, 16))).Message);
        Assert.Contains("mask", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 4, 16), ones(2, 4), null, randn(2, 16))).Message);
        Assert.Contains("target", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 4, 16), mask, null, randn(2, 8))).Message);
        Assert.Contains("taskIds", Assert.Throws<ArgumentException>(() => encoder.forward(randn(2, 4, 16), mask, zeros(2, 3, dtype: ScalarType.Int64), randn(2, 16))).Message);
    }

    [Fact]
    public void A_task_target_serves_as_the_recommendation_target()
    {
        using var encoder = Create(Small with { TargetDimension = 20 });
        using var taskTarget = new TaskTarget(20);
        using var scope = NewDisposeScope();
        var target = taskTarget.For(TaskKind.Recommendation, 3);
        Assert.Equal(new long[] { 3, 20 }, target.shape);
        Assert.True((target[0] - target[2]).abs().max().ToSingle() == 0f);
        var byId = taskTarget.forward(tensor(new long[] { 0, 1 }));
        Assert.True((byId[0] - target[0]).abs().max().ToSingle() == 0f);
        Assert.True((byId[1] - byId[0]).abs().max().ToSingle() > 0f);
        Assert.Equal(["weight"], taskTarget.state_dict().Keys);
        var output = encoder.forward(randn(3, 5, 16), ones(3, 5, dtype: ScalarType.Bool), null, target);
        Assert.Equal(new long[] { 3, 24 }, output.shape);
        output.sum().backward();
        Assert.NotNull(taskTarget.parameters().Single().grad);
    }
}
