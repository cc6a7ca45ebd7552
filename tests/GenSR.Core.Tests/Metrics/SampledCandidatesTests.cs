
namespace GenSR.Core.Tests.Metrics;

public class SampledCandidatesTests
{
    [Fact]
    public void A_draw_is_the_target_then_distinct_admissible_negatives()
    {
        var sampler = new SampledCandidates(1000, new SampledCandidatesOptions { Seed = 3 });
        int[] history = [5, 6, 7, 7, 999];
        for (var key = 0; key < 200; key++)
        {
            var row = sampler.Draw(key, target: 42, history);
            Assert.Equal(100, row.Length);
            Assert.Equal(42, row[SampledCandidates.TargetColumn]);
            Assert.Equal(100, row.Distinct().Count());
            Assert.All(row.Skip(1), item =>
            {
                Assert.InRange(item, 0, 999);
                Assert.DoesNotContain(item, history);
            });
        }
    }

    [Fact]
    public void Draws_are_deterministic_per_seed_and_case()
    {
        var a = new SampledCandidates(5000, new SampledCandidatesOptions { Seed = 1 });
        var b = new SampledCandidates(5000, new SampledCandidatesOptions { Seed = 1 });
        var otherSeed = new SampledCandidates(5000, new SampledCandidatesOptions { Seed = 2 });
        Assert.Equal(a.Draw(17, 3, [1, 2]), b.Draw(17, 3, [1, 2]));
        Assert.NotEqual(a.Draw(17, 3, [1, 2]), a.Draw(18, 3, [1, 2]));
        Assert.NotEqual(a.Draw(17, 3, [1, 2]), otherSeed.Draw(17, 3, [1, 2]));
    }

    [Fact]
    public void Negatives_are_roughly_uniform_over_the_catalogue()
    {
        const int catalog = 50, draws = 4000, negatives = 10;
        var sampler = new SampledCandidates(catalog, new SampledCandidatesOptions { NegativeCount = negatives, Seed = 9 });
        var counts = new int[catalog];
        var row = new int[1 + negatives];
        for (var key = 0; key < draws; key++)
        {
            sampler.Draw(key, 0, [], row);
            foreach (var item in row.AsSpan(1)) counts[item]++;
        }
        Assert.Equal(0, counts[0]);
        var expected = draws * negatives / (double)(catalog - 1);
        Assert.All(counts.Skip(1), c => Assert.InRange(c, expected * 0.85, expected * 1.15));
    }

    [Fact]
    public void History_items_can_be_allowed_as_negatives()
    {
        var history = Enumerable.Range(1, 60).ToArray();
        var sampler = new SampledCandidates(100, new SampledCandidatesOptions { NegativeCount = 30, ExcludeHistory = false });
        Assert.Contains(sampler.Draw(1, 0, history).Skip(1), history.Contains);
        Assert.Contains("allowed", sampler.Describe());
    }

    [Fact]
    public void A_nearly_exhausted_catalogue_uses_every_admissible_item_and_a_too_small_one_fails_clearly()
    {
        var sampler = new SampledCandidates(101);
        var row = sampler.Draw(0, 100, [0]);
        Assert.Equal(Enumerable.Range(1, 99), row.Skip(1).Order());

        var e = Assert.Throws<InvalidOperationException>(() => sampler.Draw(7, 100, [0, 1]));
        Assert.Contains("only 98 of 101", e.Message);
        Assert.Contains("Case 7", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampledCandidatesOptions { NegativeCount = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampledCandidates(0));
        var sampler = new SampledCandidates(10, new SampledCandidatesOptions { NegativeCount = 3 });
        Assert.Throws<ArgumentException>(() => sampler.Draw(0, 10, []));
        Assert.Throws<ArgumentException>(() => sampler.Draw(0, 1, [11]));
        Assert.Throws<ArgumentException>(() => sampler.Draw(0, 1, [], new int[3]));
    }
}
