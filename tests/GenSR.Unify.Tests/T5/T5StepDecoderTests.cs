using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>The IStepDecoder of T5: query-major beams, a KV cache that beam reordering follows, no leaks, clear misuse errors.</summary>
public sealed class T5StepDecoderTests
{
    // Untied output projection, no output scaling, a padded encoder batch: the paths the fixtures do not cover.
    private static T5ForConditionalGeneration UntiedModel()
    {
        var model = new T5ForConditionalGeneration(new T5Config
        {
            VocabSize = 40, DModel = 32, DKv = 8, NumHeads = 4, DFf = 48, NumLayers = 2, NumDecoderLayers = 3,
            FeedForwardProj = "gated-gelu", TieWordEmbeddings = false, ScaleDecoderOutputs = false,
        }, new Generator(21));
        model.eval();
        return model;
    }

    private static (Tensor Ids, Tensor Mask) EncoderBatch() =>
        (tensor(new long[] { 5, 9, 12, 1, 7, 3, 1, 0 }, [2, 4]), tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]));

    [Fact]
    public void Beams_reordered_by_the_decoder_score_as_their_histories_decoded_from_scratch()
    {
        using var model = UntiedModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = EncoderBatch();
        var encoded = model.EncodeTokens(ids, mask);
        using var decoder = model.CreateStepDecoder(encoded, mask);
        const int beams = 3;
        decoder.Start(beams);
        Assert.Equal((2, 40, 0L), (decoder.BatchSize, decoder.VocabularySize, decoder.StartTokenId));

        // Histories per hypothesis (query-major), extended step by step, with a reorder after every step.
        var histories = Enumerable.Range(0, 2 * beams).Select(_ => new List<long> { 0 }).ToList();
        var steps = new[] { new long[] { 0, 0, 0, 0, 0, 0 }, [4, 8, 15, 16, 23, 2], [30, 31, 32, 33, 34, 35] };
        var parentsPerStep = new[] { new long[] { 0, 0, 1, 5, 3, 4 }, [2, 1, 0, 3, 3, 4], [1, 1, 1, 5, 4, 3] };
        for (var s = 0; s < steps.Length; s++)
        {
            var tokens = tensor(steps[s]);
            if (s > 0) for (var h = 0; h < histories.Count; h++) histories[h].Add(steps[s][h]);
            var logProbs = decoder.Step(tokens);

            var expected = TeacherForced(model, encoded, mask, beams, histories);
            Assert.True((expected - logProbs).abs().max().item<float>() < 1e-4, $"step {s}");

            decoder.Reorder(tensor(parentsPerStep[s]));
            histories = parentsPerStep[s].Select(p => new List<long>(histories[(int)p])).ToList();
        }
        Assert.Equal(3, decoder.Length);
    }

    // Log-probabilities of the next token after each history, by full teacher-forced decoding.
    private static Tensor TeacherForced(T5ForConditionalGeneration model, Tensor encoded, Tensor mask, int beams, List<List<long>> histories)
    {
        var length = histories[0].Count;
        var ids = tensor(histories.SelectMany(h => h).ToArray(), [histories.Count, length]);
        var logits = model.Decode(ids, encoded.repeat_interleave(beams, 0), mask.repeat_interleave(beams, 0));
        return logits[.., length - 1].log_softmax(-1);
    }

    [Fact]
    public void Start_empties_the_cache()
    {
        using var model = UntiedModel();
        using var scope = NewDisposeScope();
        var (ids, mask) = EncoderBatch();
        using var decoder = model.CreateStepDecoder(model.EncodeTokens(ids, mask), mask);
        decoder.Start(2);
        var first = decoder.Step(zeros(4, ScalarType.Int64));
        decoder.Step(full(4, 7L, ScalarType.Int64));
        decoder.Start(1);
        Assert.Equal(0, decoder.Length);
        var again = decoder.Step(zeros(2, ScalarType.Int64));
        var d0 = (first.narrow(0, 0, 1) - again.narrow(0, 0, 1)).abs().max().item<float>();
        var d1 = (first.narrow(0, 2, 1) - again.narrow(0, 1, 1)).abs().max().item<float>();
        // Same computation with a different number of rows: equal up to float32 rounding.
        Assert.True(d0 < 1e-4 && d1 < 1e-4, $"{d0} {d1}");
    }

    [Fact]
    public void Stepping_leaks_no_native_tensors()
    {
        using var model = UntiedModel();
        var (ids, mask) = EncoderBatch();
        using var encoded = model.EncodeTokens(ids, mask);
        using var decoder = model.CreateStepDecoder(encoded, mask);
        decoder.Start(4);
        using var tokens = full(8, 3L, ScalarType.Int64);
        using var parents = tensor(new long[] { 1, 0, 3, 2, 7, 6, 5, 4 });
        long live = 0;
        for (var step = 0; step < 6; step++)
        {
            using (var logProbs = decoder.Step(tokens)) { }
            decoder.Reorder(parents);
            if (step == 1) live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        }
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Misuse_gets_clear_errors()
    {
        using var model = UntiedModel();
        using var scope = NewDisposeScope();
        var (ids, mask) = EncoderBatch();
        var decoder = model.CreateStepDecoder(model.EncodeTokens(ids, mask), mask);
        Assert.Throws<InvalidOperationException>(() => decoder.Step(zeros(2, ScalarType.Int64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Start(0));
        decoder.Start(3);
        var e = Assert.Throws<ArgumentException>(() => decoder.Step(zeros(4, ScalarType.Int64)));
        Assert.Contains("[6]", e.Message);
        Assert.Throws<ArgumentException>(() => decoder.Reorder(zeros(2, 3, ScalarType.Int64)));
        decoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => decoder.Start(1));
        Assert.Throws<ArgumentException>(() => model.CreateStepDecoder(zeros(2, 4, 32), ones(2, 5)));
    }
}
