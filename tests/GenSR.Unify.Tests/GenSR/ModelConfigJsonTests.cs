using System.Text.Json.Nodes;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>The model config embedded in gensr.json: read and written through generated metadata, in the same shape as before.</summary>
public sealed class ModelConfigJsonTests
{
    // The backbone is T5Config's own HF config.json text; the rest is pinned as checkpoints have always stored it.
    private static string Pinned(string tail)
    {
        var backbone = JsonNode.Parse(T5Config.Small(300, 64, 1).ToJson())!.ToJsonString();
        return $$"""{"backbone":{{backbone}},"item_count":42,"collaborative_dimension":16,"collaborative_encoder_dimension":32,"max_history":12,"title_tokens":7,"query_tokens":9,"use_collaborative_view":true,"use_semantic_view":false,"history_dropout":0.25,"dense_dimension":8,"query_vector_dimension":24,"item_text_vector_dimension":24,{{tail}}}""";
    }

    [Theory]
    [InlineData("\"semantic_view_input\":\"title_tokens\"")]
    [InlineData("\"semantic_view_input\":\"item_vectors\"")]
    [InlineData("\"semantic_view_input\":\"title_tokens\",\"dense_category_tokens\":5")]
    [InlineData("\"semantic_view_input\":\"item_vectors\",\"dense_history\":true")]
    public void A_stored_config_is_written_back_as_it_was_read(string tail)
    {
        var text = Pinned(tail);
        var input = JsonNode.Parse(text)!;

        var written = GenSRModelConfig.FromJson(input, "gensr.json").ToJson();

        Assert.True(JsonNode.DeepEquals(input, written));
        Assert.Equal(text, written.ToJsonString()); // same names, order and number formats
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_named_by_its_path()
    {
        var json = JsonNode.Parse(Pinned("\"semantic_view_input\":\"title_tokens\""))!.AsObject();
        json["use_semantic_view"] = 1;
        Assert.Equal("gensr.json: use_semantic_view: expected true or false.",
                     Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(json, "gensr.json")).Message);

        json = JsonNode.Parse(Pinned("\"semantic_view_input\":\"title_tokens\""))!.AsObject();
        json.Remove("max_history");
        Assert.Equal("gensr.json: \"max_history\" must be an integer.",
                     Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(json, "gensr.json")).Message);

        json = JsonNode.Parse(Pinned("\"semantic_view_input\":\"title_tokens\""))!.AsObject();
        json.Remove("backbone");
        Assert.Contains("\"backbone\"", Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(json, "gensr.json")).Message);
        Assert.StartsWith("gensr.json: expected a JSON object", Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(new JsonArray(), "gensr.json")).Message);
    }

    [Fact]
    public void Dense_category_tokens_read_as_none_when_absent_and_need_a_dense_head()
    {
        var config = GenSRModelConfig.FromJson(JsonNode.Parse(Pinned("\"semantic_view_input\":\"title_tokens\""))!, "gensr.json");
        Assert.Equal(0, config.DenseCategoryTokens);
        Assert.Equal(7, config.ItemTokenColumns);
        Assert.Equal(12, (config with { DenseCategoryTokens = 5 }).ItemTokenColumns);

        var error = Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(
            JsonNode.Parse(Pinned("\"semantic_view_input\":\"title_tokens\",\"dense_category_tokens\":5").Replace("\"dense_dimension\":8", "\"dense_dimension\":0"))!, "gensr.json"));
        Assert.Equal("gensr.json: GenSRModelConfig.DenseCategoryTokens needs a dense head (DenseDimension > 0).", error.Message);
    }
}
