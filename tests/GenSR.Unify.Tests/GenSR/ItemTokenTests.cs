using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

public sealed class ItemTokenTests
{
    private static readonly Item[] Items =
    [
        new(0, "a", "Cordless Drill", "", "", ["Tools & Home", "Power Tools", "Drills"]),
        new(1, "b", "", "", "", ["Garden", "Hoses"]),
        new(2, "c", "Plain Title", "", "", []),
    ];

    [Fact]
    public void Category_words_are_the_query_words_without_the_title_fallback()
    {
        var synthesizer = new CategoryQuerySynthesizer();
        Assert.Equal("tools home power drills", synthesizer.CategoryWords(Items[0]));
        Assert.Equal("", synthesizer.CategoryWords(Items[2]));
        Assert.Equal("plain title", synthesizer.BuildQuery(Items[2]));
    }

    [Fact]
    public void Item_tokens_put_the_category_words_before_the_title_when_asked()
    {
        var vocabulary = CompactGpt2Vocabulary.Build(Items.Select(i => i.Text).Append("tools home power drills garden hoses"), identifierTokenCount: 4);
        using var titles = GenSRPipeline.TitleTokens(Items, vocabulary, 12);
        using var both = GenSRPipeline.TitleTokens(Items, vocabulary, 12, includeCategories: true);
        long[] Row(TorchSharp.torch.Tensor t, int i) => t[i].data<long>().ToArray().Where(id => id != vocabulary.PadId).ToArray();

        Assert.Equal(vocabulary.EncodeText("Cordless Drill").Select(x => (long)x), Row(titles, 0));
        Assert.Equal(vocabulary.EncodeText("tools home power drills Cordless Drill").Select(x => (long)x).Take(12), Row(both, 0));
        Assert.Equal(vocabulary.EncodeText("garden hoses").Select(x => (long)x), Row(both, 1));
        Assert.Equal([(long)vocabulary.UnknownId], Row(titles, 1)); // no title: the unknown token
        Assert.Equal(Row(titles, 2), Row(both, 2)); // no categories: the title alone

        using var cut = GenSRPipeline.TitleTokens(Items, vocabulary, 2, includeCategories: true);
        Assert.Equal(vocabulary.EncodeText("tools home power drills").Select(x => (long)x).Take(2), Row(cut, 0));
    }
}
