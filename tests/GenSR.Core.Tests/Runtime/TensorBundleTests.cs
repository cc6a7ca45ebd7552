using static TorchSharp.torch;

namespace GenSR.Core.Tests.Runtime;

public sealed class TensorBundleTests
{
    private sealed class Pair : TensorBundle
    {
        public Pair(Tensor first, Tensor? second)
        {
            First = Own(first);
            Second = Own(second);
        }

        public Tensor First { get; }

        public Tensor? Second { get; }
    }

    [Fact]
    public void Disposing_a_bundle_releases_every_member_once_and_skips_absent_ones()
    {
        var pair = new Pair(zeros(2), ones(3));
        var solo = new Pair(zeros(1), null);
        Assert.False(pair.IsDisposed);
        pair.Dispose();
        solo.Dispose();
        Assert.True(pair.IsDisposed);
        Assert.True(pair.First.IsInvalid);
        Assert.True(pair.Second!.IsInvalid);
        Assert.True(solo.First.IsInvalid);
        pair.Dispose(); // a second call is harmless
    }
}
