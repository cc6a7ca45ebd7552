
namespace GenSR.Core.Tests.Metrics;

public class TargetRanksTests
{
    [Fact]
    public void Rank_counts_strictly_higher_scores_plus_one()
    {
        float[] scores = [0.1f, 0.9f, 0.5f, 0.7f, 0.3f];
        var ranks = new int[1];
        TargetRanks.FromScores(scores, 5, [2], ranks);
        Assert.Equal(3, ranks[0]);
    }

    [Fact]
    public void Ties_are_counted_pessimistically()
    {
        // Target column 0 ties with two others and is beaten by one: rank = 1 + 1 + 2.
        float[] scores = [0.5f, 0.5f, 0.9f, 0.5f, 0.1f];
        var ranks = new int[1];
        TargetRanks.FromScores(scores, 5, [0], ranks);
        Assert.Equal(4, ranks[0]);
    }

    [Fact]
    public void Constant_scores_rank_the_target_last_so_they_never_look_good()
    {
        const int cases = 50, candidates = 100;
        var scores = new float[cases * candidates];
        Array.Fill(scores, 0.25f);
        var targets = Enumerable.Range(0, cases).Select(i => i % candidates).ToArray();
        var ranks = new int[cases];
        TargetRanks.FromScores(scores, candidates, targets, ranks);
        Assert.All(ranks, r => Assert.Equal(candidates, r));

        var accumulator = new MetricsAccumulator();
        accumulator.Add(GenSR.Core.TaskKind.Recommendation, ranks);
        Assert.All(accumulator.Compute(GenSR.Core.TaskKind.Recommendation).Values.Values, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Vectorised_ranks_match_a_scalar_reference_on_rows_of_odd_length_with_ties_and_infinities()
    {
        var random = new Random(11);
        foreach (var candidates in new[] { 1, 3, 7, 8, 9, 17, 33, 100 })
        {
            const int cases = 40;
            var scores = new float[cases * candidates];
            for (var i = 0; i < scores.Length; i++)
                scores[i] = random.Next(10) switch { 0 => float.NegativeInfinity, 1 => float.PositiveInfinity, var v => v / 4f };
            var targets = Enumerable.Range(0, cases).Select(_ => random.Next(candidates)).ToArray();
            var ranks = new int[cases];
            TargetRanks.FromScores(scores, candidates, targets, ranks);
            for (var row = 0; row < cases; row++)
            {
                var t = scores[row * candidates + targets[row]];
                var expected = 1;
                for (var c = 0; c < candidates; c++)
                    if (c != targets[row] && scores[row * candidates + c] >= t) expected++;
                Assert.Equal(expected, ranks[row]);
            }
        }
    }

    [Fact]
    public void NaN_scores_are_rejected_with_row_and_column()
    {
        var scores = new float[3 * 20];
        scores[2 * 20 + 13] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => TargetRanks.FromScores(scores, 20, [0, 1, 2], new int[3]));
        Assert.Contains("Row 2", e.Message);
        Assert.Contains("column 13", e.Message);
    }

    [Fact]
    public void Bad_shapes_and_target_columns_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TargetRanks.FromScores(new float[10], 3, [0, 1, 2], new int[3]));
        var e = Assert.Throws<ArgumentException>(() => TargetRanks.FromScores(new float[6], 3, [0, 3], new int[2]));
        Assert.Contains("target column 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetRanks.FromScores(ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<int>.Empty, Span<int>.Empty));
    }

    [Fact]
    public void Excluded_columns_are_not_counted_and_duplicates_count_once()
    {
        // Target column 1 (0.5) is beaten by columns 0, 3 and ties with 4; excluding 0 (twice), 4 and the target itself.
        float[] scores = [0.9f, 0.5f, 0.1f, 0.8f, 0.5f];
        var ranks = new int[1];
        TargetRanks.FromScores(scores, 5, [1], ranks, [new[] { 0, 0, 4, 1 }]);
        Assert.Equal(2, ranks[0]);
    }

    [Fact]
    public void Generated_list_rank_is_the_targets_position_or_zero_when_absent()
    {
        int[] generated =
        [
            7, 3, 9, -1,
            1, 2, 3, 4,
            5, 5, 8, 6,
        ];
        var ranks = new int[3];
        TargetRanks.FromGeneratedLists(generated, 4, [9, 42, 5], ranks);
        Assert.Equal([3, 0, 1], ranks);

        var jagged = TargetRanks.FromGeneratedLists([new[] { 4, 2 }, new List<int> { 1 }, Array.Empty<int>()], [2, 1, 3]);
        Assert.Equal([2, 1, 0], jagged);
    }
}
