using GenSR.Core;
using GenSR.Representation;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>The new-item index's manifest: read and written through generated metadata, in the same shape as before, without a trained model.</summary>
public sealed class NewItemManifestTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gensr-new-item-manifest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static NewItemIndex Sample() =>
        new(IdentifierSource.Fused, new ResidualCodebooks([new EmbeddingMatrix(new float[] { 0, 0, 1, 1 }, 2, 2)]),
            new EmbeddingMatrix(new float[] { 0, 0, 1, 1, 0, 1 }, 3, 2), encoder: null, "custom", ItemTextFields.Title,
            ownsEncoder: false, itemTokensIncludeCategories: true, textVectorsAreSemantic: false);

    [Fact]
    public void A_saved_manifest_is_written_back_as_it_was_read()
    {
        // As indexes have always stored it: compact, these names in this order.
        var pinned = $$"""{"format_version":1,"source":"Fused","encoder":"custom","fields":{{(int)ItemTextFields.Title}},"item_tokens_include_categories":true,"text_vectors_are_semantic":false}""";
        var first = Path.Combine(_folder, "one");
        Sample().Save(first);
        Assert.Equal(pinned, File.ReadAllText(Path.Combine(first, NewItemIndex.ManifestFileName)));

        using var loaded = NewItemIndex.Load(first, itemCount: 3);
        var second = Path.Combine(_folder, "two");
        loaded.Save(second);
        var again = File.ReadAllText(Path.Combine(second, NewItemIndex.ManifestFileName));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(pinned), System.Text.Json.Nodes.JsonNode.Parse(again)));
        Assert.Equal(pinned, again);
    }

    [Theory]
    [InlineData("format_version", "\"1\"", ": \"format_version\" must be an integer.")]
    [InlineData("format_version", "2", ": format version 2; this library reads version 1.")]
    [InlineData("fields", "true", ": fields: expected an integer.")]
    [InlineData("fields", "0", ": \"fields\" must be a positive integer.")]
    [InlineData("source", "\"Text\"", ": \"source\" is \"Text\"")]
    [InlineData("item_tokens_include_categories", "\"yes\"", ": item_tokens_include_categories: expected true or false.")]
    [InlineData("text_vectors_are_semantic", null, ": \"text_vectors_are_semantic\" must be true or false.")]
    public void A_bad_manifest_is_refused_naming_the_file_and_the_field(string field, string? value, string expected)
    {
        Sample().Save(_folder);
        var path = Path.Combine(_folder, NewItemIndex.ManifestFileName);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (value is null) manifest.Remove(field);
        else manifest[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        File.WriteAllText(path, manifest.ToJsonString());

        var e = Assert.Throws<InvalidDataException>(() => NewItemIndex.Load(_folder, itemCount: 3));
        Assert.StartsWith(path + expected, e.Message, StringComparison.Ordinal);
    }
}
