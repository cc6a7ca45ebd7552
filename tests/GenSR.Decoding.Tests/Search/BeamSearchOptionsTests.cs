
namespace GenSR.Decoding.Tests.Search;

public sealed class BeamSearchOptionsTests
{
    [Fact]
    public void Defaults_are_twenty_beams_all_returned_with_summed_log_probabilities()
    {
        var options = new BeamSearchOptions();
        Assert.Equal(20, options.Beams);
        Assert.Null(options.TopK);
        Assert.Equal(20, options.ResultsPerQuery);
        Assert.Null(options.MaxLength);
        Assert.Equal(BeamScoring.SumLogProb, options.Scoring);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(BeamSearchOptions.MaxBeams + 1)]
    public void Beams_outside_the_range_are_refused_naming_the_option(int beams)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BeamSearchOptions { Beams = beams });
        Assert.Equal("Beams", e.ParamName);
    }

    [Fact]
    public void TopK_must_be_positive_and_at_most_beams()
    {
        Assert.Equal("TopK", Assert.Throws<ArgumentOutOfRangeException>(() => new BeamSearchOptions { TopK = 0 }).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BeamSearch(new BeamSearchOptions { Beams = 4, TopK = 5 }));
        Assert.Equal("TopK", e.ParamName);
        Assert.Contains("at most Beams (4)", e.Message);
        Assert.Equal(4, new BeamSearch(new BeamSearchOptions { Beams = 4, TopK = 4 }).Options.ResultsPerQuery);
    }

    [Fact]
    public void MaxLength_and_Scoring_are_checked()
    {
        Assert.Equal("MaxLength", Assert.Throws<ArgumentOutOfRangeException>(() => new BeamSearchOptions { MaxLength = 0 }).ParamName);
        Assert.Equal("Scoring", Assert.Throws<ArgumentOutOfRangeException>(() => new BeamSearchOptions { Scoring = (BeamScoring)7 }).ParamName);
    }

    [Fact]
    public void Unconstrained_search_needs_a_length()
    {
        using var decoder = new ReferenceStepDecoder(new[] { 0 }, new ReferenceDecoderOptions { VocabularySize = 4 });
        var e = Assert.Throws<ArgumentException>(() => new BeamSearch().Search(decoder, new FullVocabularyConstraint()));
        Assert.Contains("MaxLength", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FullVocabularyConstraint(maxLength: 0));
        Assert.Throws<ArgumentException>(() => new BeamSearch().Search(decoder, new FullVocabularyConstraint(2, endOfSequenceTokenId: 4)));
    }
}
