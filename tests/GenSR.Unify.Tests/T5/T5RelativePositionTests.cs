using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>Relative position buckets as T5 defines them.</summary>
public sealed class T5RelativePositionTests
{
    [Theory]
    // Bidirectional, 32 buckets (16 per direction, 8 exact), max distance 128.
    [InlineData(true, 0, 0)]
    [InlineData(true, -1, 1)]
    [InlineData(true, 1, 17)]
    [InlineData(true, -7, 7)]
    [InlineData(true, -8, 8)]
    [InlineData(true, -20, 10)] // 8 + floor(ln(20/8) / ln(128/8) · 8) = 8 + floor(2.64)
    [InlineData(true, 20, 26)]
    [InlineData(true, -500, 15)]
    [InlineData(true, 500, 31)]
    // Causal, 32 buckets (16 exact), max distance 128: keys ahead of the query all share bucket 0.
    [InlineData(false, 5, 0)]
    [InlineData(false, -15, 15)]
    [InlineData(false, -20, 17)] // 16 + floor(ln(20/16) / ln(128/16) · 16) = 16 + floor(1.72)
    [InlineData(false, -500, 31)]
    public void Known_buckets(bool bidirectional, long relative, long bucket)
    {
        using var position = tensor(new[] { relative });
        using var result = T5RelativePosition.Bucket(position, bidirectional, 32, 128);
        Assert.Equal(bucket, result.item<long>());
    }

    [Property(MaxTest = 40)]
    public Property Buckets_are_in_range_and_grow_with_distance(PositiveInt halfBuckets, PositiveInt extraDistance, bool bidirectional)
    {
        var numBuckets = 2 * (halfBuckets.Get % 32 + 2);
        var maxDistance = numBuckets / 2 + 1 + extraDistance.Get % 300;
        using var relative = arange(-400, 401, ScalarType.Int64);
        using var buckets = T5RelativePosition.Bucket(relative, bidirectional, numBuckets, maxDistance);
        var values = buckets.data<long>().ToArray();
        var inRange = values.All(b => b >= 0 && b < numBuckets);
        // Looking back (negative relative positions, index 0..400 = -400..0) the bucket never increases towards 0.
        var lookingBack = values.Take(401).ToArray();
        var monotone = lookingBack.Zip(lookingBack.Skip(1)).All(p => p.First >= p.Second);
        var lookingAhead = values.Skip(401).ToArray();
        var causalAhead = bidirectional || lookingAhead.All(b => b == 0);
        return (inRange && monotone && causalAhead).Label($"buckets {numBuckets}, max distance {maxDistance}");
    }
}
