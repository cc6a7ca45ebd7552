using GenSR.Core;

namespace GenSR.Representation.Tests.Embeddings;

public sealed class ExternalItemEmbeddingsTests
{
    private static readonly ItemCatalog Catalog = new(Enumerable.Range(0, 5).Select(i => new Item(i, $"B0{i}", $"Item {i}", "", "", Array.Empty<string>())));

    private static float[] Vector(int i) => new[] { i, i * 10f, -i };

    [Fact]
    public void Pairs_in_any_order_are_aligned_with_the_catalogue()
    {
        var pairs = new[] { 3, 0, 4, 1, 2 }.Select(i => ($"B0{i}", Vector(i)));
        var import = ExternalItemEmbeddings.Import(pairs, Catalog, new ExternalEmbeddingOptions { Source = IdentifierSource.Semantic, Label = "two-tower" });

        Assert.Equal(IdentifierSource.Semantic, import.Embeddings.Source);
        Assert.Equal("two-tower", import.Embeddings.Label);
        for (var i = 0; i < 5; i++) Assert.Equal(Vector(i), import.Embeddings[i].ToArray());
        Assert.Equal(1.0, import.Coverage.Coverage);
        Assert.Equal(0, import.Coverage.MissingItemCount);
    }

    [Fact]
    public void A_vector_of_the_wrong_dimension_is_rejected_naming_the_key_and_both_dimensions()
    {
        var pairs = new (string, float[])[] { ("B00", Vector(0)), ("B01", new float[] { 1, 2 }) };
        var error = Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.Import(pairs, Catalog));
        Assert.Contains("\"B01\"", error.Message);
        Assert.Contains("dimension 2, expected 3", error.Message);
        Assert.Contains("\"B00\"", error.Message); // where the expected dimension came from

        var configured = Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.Import(pairs.Take(1), Catalog, new ExternalEmbeddingOptions { Dimension = 4 }));
        Assert.Contains("ExternalEmbeddingOptions.Dimension", configured.Message);
    }

    [Fact]
    public void Missing_items_are_rejected_by_default_with_their_count_and_keys()
    {
        var pairs = new[] { 0, 2, 4 }.Select(i => KeyValuePair.Create($"B0{i}", Vector(i)));
        var error = Assert.Throws<EmbeddingCoverageException>(() => ExternalItemEmbeddings.Import(pairs, Catalog));
        Assert.Contains("2 of 5 catalogue items have no vector", error.Message);
        Assert.Contains("\"B01\", \"B03\"", error.Message);
        Assert.Equal(new[] { "B01", "B03" }, error.Coverage.MissingKeys);
    }

    [Fact]
    public void Missing_items_can_be_filled_with_the_mean_vector_and_unknown_keys_are_reported()
    {
        var pairs = new[] { 0, 2, 4 }.Select(i => ($"B0{i}", Vector(i))).Append(("X99", Vector(9)));
        var import = ExternalItemEmbeddings.Import(pairs, Catalog, new ExternalEmbeddingOptions { MissingItems = MissingItemPolicy.FillWithMean });

        Assert.Equal(Vector(2), import.Embeddings[1].ToArray()); // mean of items 0, 2, 4
        Assert.Equal(Vector(2), import.Embeddings[3].ToArray());
        Assert.Equal((2, 2, 1), (import.Coverage.MissingItemCount, import.Coverage.FilledItemCount, import.Coverage.UnknownKeyCount));
        Assert.Equal(new[] { "X99" }, import.Coverage.UnknownKeys);
        Assert.Contains("3/5 items covered", import.Coverage.ToString());

        var strict = Assert.Throws<EmbeddingCoverageException>(() =>
            ExternalItemEmbeddings.Import(pairs, Catalog, new ExternalEmbeddingOptions { MissingItems = MissingItemPolicy.FillWithMean, RejectUnknownKeys = true }));
        Assert.Contains("\"X99\"", strict.Message);
    }

    [Fact]
    public void Repeated_keys_and_non_finite_values_are_rejected()
    {
        var repeated = new[] { ("B00", Vector(0)), ("B00", Vector(1)) };
        Assert.Contains("\"B00\" appears twice", Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.Import(repeated, Catalog)).Message);
        var nan = new[] { ("B03", new[] { 1, float.PositiveInfinity, 0 }) };
        Assert.Contains("\"B03\" has a non-finite value", Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.Import(nan, Catalog)).Message);
    }

    [Fact]
    public void A_matrix_must_have_one_row_per_catalogue_item()
    {
        var matrix = new float[5, 3];
        for (var i = 0; i < 5; i++) for (var d = 0; d < 3; d++) matrix[i, d] = Vector(i)[d];
        var import = ExternalItemEmbeddings.FromMatrix(matrix, Catalog);
        Assert.Equal(Vector(4), import.Embeddings[4].ToArray());

        Assert.Contains("4 rows but the catalogue has 5", Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.FromMatrix(new float[4, 3], Catalog)).Message);
        matrix[2, 1] = float.NaN;
        Assert.Contains("item key \"B02\"", Assert.Throws<ArgumentException>(() => ExternalItemEmbeddings.FromMatrix(matrix, Catalog)).Message);
        Assert.Equal("ReportedKeyLimit", Assert.Throws<ArgumentOutOfRangeException>(() => new ExternalEmbeddingOptions { ReportedKeyLimit = 0 }).ParamName);
    }
}
