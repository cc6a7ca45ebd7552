using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Reference;

public sealed class ReferenceStepDecoderTests
{
    private static readonly ReferenceDecoderOptions Options = new() { VocabularySize = 12, HiddenSize = 8, Seed = 42 };

    [Fact]
    public void Step_returns_normalised_log_probabilities_per_hypothesis()
    {
        using var decoder = new ReferenceStepDecoder(new[] { 0, 5 }, Options);
        decoder.Start(3);
        using var last = full(6, 0L, dtype: ScalarType.Int64);
        using var logProbs = decoder.Step(last);
        Assert.Equal(new long[] { 6, 12 }, logProbs.shape);
        using var total = logProbs.exp().sum(1);
        Assert.All(total.data<float>().ToArray(), s => Assert.Equal(1f, s, 4));
    }

    [Fact]
    public void Equal_options_give_equal_outputs_and_other_seeds_or_queries_differ()
    {
        float[] Run(ReferenceDecoderOptions options, int query)
        {
            using var decoder = new ReferenceStepDecoder(new[] { query }, options);
            decoder.Start(1);
            using var last = tensor(new[] { 3L });
            using var logProbs = decoder.Step(last);
            return logProbs.data<float>().ToArray();
        }

        Assert.Equal(Run(Options, 2), Run(Options, 2));
        Assert.NotEqual(Run(Options, 2), Run(Options with { Seed = 43 }, 2));
        Assert.NotEqual(Run(Options, 2), Run(Options, 3));
    }

    [Fact]
    public void Log_probabilities_depend_on_the_whole_prefix_and_reorder_moves_the_state()
    {
        using var decoder = new ReferenceStepDecoder(new[] { 1 }, Options);
        decoder.Start(2);
        using (var first = tensor(new[] { 4L, 7L })) decoder.Step(first).Dispose();
        using var same = tensor(new[] { 9L, 9L });
        float[] rows;
        using (var second = decoder.Step(same)) rows = second.data<float>().ToArray();
        // Same last token, different earlier token: different distributions.
        Assert.NotEqual(rows.Take(12), rows.Skip(12));

        // Reorder [1, 0] swaps the two hypotheses' states.
        decoder.Start(2);
        using (var first = tensor(new[] { 4L, 7L })) decoder.Step(first).Dispose();
        using (var swap = tensor(new[] { 1L, 0L })) decoder.Reorder(swap);
        using var swapped = decoder.Step(same);
        var swappedRows = swapped.data<float>().ToArray();
        Assert.Equal(rows.Skip(12), swappedRows.Take(12));
        Assert.Equal(rows.Take(12), swappedRows.Skip(12));
    }

    [Fact]
    public void Misuse_is_reported_clearly()
    {
        Assert.Throws<ArgumentException>(() => new ReferenceStepDecoder(Array.Empty<int>(), Options));
        Assert.Contains("QueryTableSize", Assert.Throws<ArgumentException>(() => new ReferenceStepDecoder(new[] { 5000 }, Options)).Message);
        Assert.Equal("VocabularySize", Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceDecoderOptions { VocabularySize = 0 }).ParamName);
        Assert.Equal("LogitScale", Assert.Throws<ArgumentOutOfRangeException>(() => Options with { LogitScale = float.NaN }).ParamName);
        using var decoder = new ReferenceStepDecoder(new[] { 0 }, Options);
        using var last = tensor(new[] { 0L, 0L });
        Assert.Throws<InvalidOperationException>(() => decoder.Step(last));
        decoder.Start(1);
        Assert.Contains("[1]", Assert.Throws<ArgumentException>(() => decoder.Step(last)).Message);
    }

    [Fact]
    public void Exhaustive_scorer_sums_the_step_log_probabilities_of_each_sequence()
    {
        using var decoder = new ReferenceStepDecoder(new[] { 0, 1 }, Options);
        var sequences = new IReadOnlyList<int>[] { new[] { 3, 4, 5 }, new[] { 6 } };
        var scores = ExhaustiveSequenceScorer.Score(decoder, sequences, chunkSize: 1);

        // By hand: one hypothesis per query, feeding 3, 4, 5 after the start token.
        decoder.Start(1);
        var expected = new float[2];
        long previous = Options.StartTokenId;
        foreach (var token in sequences[0])
        {
            using var last = full(2, previous, dtype: ScalarType.Int64);
            using var logProbs = decoder.Step(last);
            var values = logProbs.data<float>().ToArray();
            expected[0] += values[token];
            expected[1] += values[12 + token];
            previous = token;
        }
        Assert.Equal(expected[0], scores[0, 0], 5);
        Assert.Equal(expected[1], scores[1, 0], 5);
        Assert.True(scores[0, 1] < 0 && scores[0, 1] != scores[1, 1]);
        Assert.Throws<ArgumentException>(() => ExhaustiveSequenceScorer.Score(decoder, new IReadOnlyList<int>[] { new[] { 12 } }));
    }
}
