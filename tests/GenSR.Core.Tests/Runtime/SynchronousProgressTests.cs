
namespace GenSR.Core.Tests.Runtime;

public sealed class SynchronousProgressTests
{
    [Fact]
    public void Each_report_reaches_the_handler_at_once_on_the_reporting_thread_in_order()
    {
        var seen = new List<(int Value, int Thread)>();
        IProgress<int> progress = new SynchronousProgress<int>(v => seen.Add((v, Environment.CurrentManagedThreadId)));
        for (var i = 0; i < 5; i++)
        {
            progress.Report(i);
            Assert.Equal(i + 1, seen.Count);
        }
        Assert.Equal([0, 1, 2, 3, 4], seen.Select(s => s.Value));
        Assert.All(seen, s => Assert.Equal(Environment.CurrentManagedThreadId, s.Thread));
    }

    [Fact]
    public void A_null_handler_is_refused() =>
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new SynchronousProgress<int>(null!)).ParamName);
}
