using GenSR.Decoding.Tests.Support;
using TorchSharp;

namespace GenSR.Decoding.Tests.Search;

public sealed class BeamSearchResourceTests
{
    private static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void A_constrained_search_leaves_no_tensor_behind()
    {
        var scenario = new SearchScenario([4, 4, 4], 30, true, true, 3, 6, BeamScoring.LengthNormalized, 4);
        using var decoder = scenario.Decoder();
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        var search = new BeamSearch(scenario.Options());
        search.Search(decoder, constraint); // the decoder now holds its per-search state
        var before = LiveTensors;
        var result = search.Search(decoder, constraint);
        Assert.Equal(before, LiveTensors);
        Assert.NotEmpty(result[0]);
    }

    [Fact]
    public void Longer_unconstrained_searches_do_not_leave_more_tensors_per_step()
    {
        var scenario = new SearchScenario([4, 4], 5, false, false, 2, 5, BeamScoring.SumLogProb, 8);
        using var decoder = scenario.Decoder();
        var withEos = new FullVocabularyConstraint(endOfSequenceTokenId: SearchScenario.EndOfSequenceToken);
        new BeamSearch(new BeamSearchOptions { Beams = 5, MaxLength = 2 }).Search(decoder, withEos);
        var before = LiveTensors;
        new BeamSearch(new BeamSearchOptions { Beams = 5, MaxLength = 3 }).Search(decoder, withEos);
        var afterShort = LiveTensors;
        new BeamSearch(new BeamSearchOptions { Beams = 5, MaxLength = 12 }).Search(decoder, withEos);
        Assert.Equal(before, afterShort);
        Assert.Equal(before, LiveTensors);
        Assert.Equal(2 + 3 + 12, decoder.StepCount);
    }

    [Fact]
    public void A_cancelled_token_stops_before_the_first_step()
    {
        var scenario = new SearchScenario([3, 3], 6, false, true, 1, 3, BeamScoring.SumLogProb, 2);
        using var decoder = scenario.Decoder();
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        Assert.ThrowsAny<OperationCanceledException>(() => new BeamSearch(scenario.Options()).Search(decoder, constraint, new CancellationToken(true)));
        Assert.Equal(0, decoder.StepCount);
    }

    [Fact]
    public void Cancelling_during_the_search_stops_between_steps_and_frees_everything()
    {
        var scenario = new SearchScenario([3, 3, 3, 3], 40, false, true, 2, 4, BeamScoring.SumLogProb, 9);
        using var source = new CancellationTokenSource();
        using var decoder = new CancellingDecoder(scenario.Decoder(), source, cancelAfterSteps: 2);
        using var constraint = new TrieConstraint(scenario.Trie, decoder.Device);
        var search = new BeamSearch(scenario.Options());
        decoder.Start(scenario.Beams); // let the decoder allocate its state before counting
        var before = LiveTensors;
        Assert.ThrowsAny<OperationCanceledException>(() => search.Search(decoder, constraint, source.Token));
        Assert.Equal(2, decoder.Steps); // the check before step 3 saw the cancellation
        Assert.Equal(before, LiveTensors);
    }
}
