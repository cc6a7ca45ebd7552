using GenSR.Core;
using GenSR.Representation.Tests.Quantization;

namespace GenSR.Representation.Tests.Embeddings;

public sealed class ItemEmbeddingsFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gensr-embeddings-" + Guid.NewGuid().ToString("N"));

    public ItemEmbeddingsFileTests() => TorchRuntime.SetThreads(1);

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Embeddings_and_the_identifier_table_they_produced_round_trip_exactly()
    {
        var embeddings = ClusteredVectors.Create(items: 300, dimension: 12, clusters: 9, duplicates: 10);
        var quantization = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { CodebookSize = 16, Device = TorchSharp.torch.CPU }).Quantize(embeddings);
        var path = Path.Combine(_directory, "items");

        ItemEmbeddingsFile.Save(path, embeddings, quantization.Identifiers);
        var loaded = ItemEmbeddingsFile.Load(path + ".json");

        Assert.True(File.Exists(path + ".safetensors"));
        Assert.True(loaded.Embeddings.Vectors.ContentEquals(embeddings.Vectors));
        Assert.Equal(embeddings.Source, loaded.Embeddings.Source);
        Assert.Equal(embeddings.Label, loaded.Embeddings.Label);
        Assert.NotNull(loaded.Identifiers);
        Assert.Equal(quantization.Identifiers.ToJson().ToJsonString(), loaded.Identifiers!.ToJson().ToJsonString());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp*")); // temporary files were renamed
    }

    [Fact]
    public void Embeddings_without_identifiers_round_trip_and_overwrite_cleanly()
    {
        var path = Path.Combine(_directory, "cf");
        var first = new ItemEmbeddings(new EmbeddingMatrix(new float[] { 1, 2, 3, 4 }, 2, 2), IdentifierSource.Collaborative, "lightgcn");
        var second = new ItemEmbeddings(new EmbeddingMatrix(new float[] { -0f, 1e-30f, float.Epsilon, 7 }, 2, 2), IdentifierSource.Collaborative, "lightgcn");
        ItemEmbeddingsFile.Save(path, first);
        ItemEmbeddingsFile.Save(path, second);

        var loaded = ItemEmbeddingsFile.Load(path);
        Assert.True(loaded.Embeddings.Vectors.ContentEquals(second.Vectors)); // bitwise, including -0 and subnormals
        Assert.Null(loaded.Identifiers);
    }

    [Fact]
    public void A_replaced_tensor_file_is_detected()
    {
        var a = Path.Combine(_directory, "a");
        var b = Path.Combine(_directory, "b");
        ItemEmbeddingsFile.Save(a, new ItemEmbeddings(new EmbeddingMatrix(new float[] { 1, 2 }, 1, 2), IdentifierSource.Semantic, "lsa"));
        ItemEmbeddingsFile.Save(b, new ItemEmbeddings(new EmbeddingMatrix(new float[] { 3, 4 }, 1, 2), IdentifierSource.Semantic, "lsa"));
        File.Copy(b + ".safetensors", a + ".safetensors", overwrite: true);

        var error = Assert.Throws<InvalidDataException>(() => ItemEmbeddingsFile.Load(a));
        Assert.Contains("SHA-256", error.Message);
        Assert.Throws<FileNotFoundException>(() => ItemEmbeddingsFile.Load(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void A_table_for_another_number_of_items_is_refused()
    {
        var embeddings = new ItemEmbeddings(new EmbeddingMatrix(new float[] { 1, 2, 3, 4 }, 2, 2), IdentifierSource.Semantic, "lsa");
        var table = new IdentifierTable(new[] { new[] { 0 }, new[] { 1 }, new[] { 2 } });
        var error = Assert.Throws<ArgumentException>(() => ItemEmbeddingsFile.Save(Path.Combine(_directory, "x"), embeddings, table));
        Assert.Contains("3 items", error.Message);
    }
}

/// <summary>The manifest of a file pair: read and written through generated metadata, in the same shape as before.</summary>
public sealed class ItemEmbeddingsManifestFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gensr-embeddings-manifest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static ItemEmbeddings Sample() =>
        new(new EmbeddingMatrix(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2), IdentifierSource.Semantic, "lsa \u00e9 'x'");

    [Fact]
    public void A_saved_manifest_is_written_back_as_it_was_read()
    {
        var first = Path.Combine(_directory, "one", "items");
        ItemEmbeddingsFile.Save(first, Sample(), new IdentifierTable([[0, 1], [1], [0, 0]], [2, 2]));
        var text = File.ReadAllText(first + ".json");
        var input = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["format", "version", "source", "label", "itemCount", "dimension", "tensorFile", "tensorSha256", "identifiers"], input.Select(p => p.Key));
        Assert.DoesNotContain('\n', text);

        var loaded = ItemEmbeddingsFile.Load(first);
        var second = Path.Combine(_directory, "two", "items");
        ItemEmbeddingsFile.Save(second, loaded.Embeddings, loaded.Identifiers);
        var again = File.ReadAllText(second + ".json");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(input, System.Text.Json.Nodes.JsonNode.Parse(again)));
        Assert.Equal(text, again);

        // Without a table the key is left out, as before.
        ItemEmbeddingsFile.Save(second, loaded.Embeddings);
        Assert.False(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(second + ".json"))!.AsObject().ContainsKey("identifiers"));
    }

    [Theory]
    [InlineData("itemCount", "\"3\"", ": itemCount: expected an integer.")]
    [InlineData("label", "7", ": label: expected a string.")]
    [InlineData("version", "\"1\"", ": \"version\" must be an integer.")]
    [InlineData("version", "2", ": version 2 is not supported")]
    [InlineData("format", "\"other\"", ": expected \"format\": \"gensr-item-embeddings\".")]
    [InlineData("source", "\"Pictures\"", ": \"source\" is \"Pictures\"")]
    [InlineData("tensorFile", null, ": \"tensorFile\" is missing.")]
    public void A_bad_manifest_is_refused_naming_the_file_and_the_field(string field, string? value, string expected)
    {
        var path = Path.Combine(_directory, "items");
        ItemEmbeddingsFile.Save(path, Sample());
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path + ".json"))!.AsObject();
        if (value is null) manifest.Remove(field);
        else manifest[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        File.WriteAllText(path + ".json", manifest.ToJsonString());

        var e = Assert.Throws<InvalidDataException>(() => ItemEmbeddingsFile.Load(path));
        Assert.StartsWith(path + ".json" + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_refused()
    {
        var path = Path.Combine(_directory, "items");
        ItemEmbeddingsFile.Save(path, Sample());
        var text = File.ReadAllText(path + ".json");
        File.WriteAllText(path + ".json", text.Replace("\"label\":", "\"label\":\"other\",\"label\":", StringComparison.Ordinal));
        Assert.StartsWith(path + ".json", Assert.Throws<InvalidDataException>(() => ItemEmbeddingsFile.Load(path)).Message, StringComparison.Ordinal);
    }
}
