
namespace GenSR.Representation.Tests.Embeddings;

public sealed class ItemEmbeddingsTests
{
    private static ItemEmbeddings Make(IdentifierSource source, int items, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, items * dimension).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        return new ItemEmbeddings(new EmbeddingMatrix(values, items, dimension), source, source.ToString().ToLowerInvariant());
    }

    [Fact]
    public void L2_normalisation_gives_unit_rows_and_keeps_zero_rows()
    {
        var matrix = new EmbeddingMatrix(new float[] { 3, 4, 0, 0, -1, 0 }, 3, 2).L2Normalized();
        Assert.Equal(new float[] { 0.6f, 0.8f }, matrix.Row(0).ToArray());
        Assert.Equal(new float[] { 0, 0 }, matrix.Row(1).ToArray());
        Assert.Equal(new float[] { -1, 0 }, matrix.Row(2).ToArray());
    }

    [Fact]
    public void Fused_vectors_concatenate_the_normalised_collaborative_and_semantic_vectors()
    {
        var cf = Make(IdentifierSource.Collaborative, 5, 3, 1);
        var text = Make(IdentifierSource.Semantic, 5, 4, 2);
        var fused = ItemEmbeddings.Fuse(cf, text);

        Assert.Equal(IdentifierSource.Fused, fused.Source);
        Assert.Equal(7, fused.Dimension);
        Assert.Equal("collaborative+semantic", fused.Label);
        for (var i = 0; i < 5; i++)
        {
            var row = fused[i].ToArray();
            Assert.Equal(1.0, Math.Sqrt(row.Take(3).Sum(x => x * x)), 5);
            Assert.Equal(1.0, Math.Sqrt(row.Skip(3).Sum(x => x * x)), 5);
            Assert.Equal(cf.L2Normalized()[i].ToArray(), row.Take(3));
        }
    }

    [Fact]
    public void Fusion_checks_views_and_item_counts()
    {
        var cf = Make(IdentifierSource.Collaborative, 5, 3, 1);
        var text = Make(IdentifierSource.Semantic, 4, 3, 2);
        Assert.Contains("cover 5 items", Assert.Throws<ArgumentException>(() => ItemEmbeddings.Fuse(cf, text)).Message);
        Assert.Contains("Expected collaborative vectors", Assert.Throws<ArgumentException>(() => ItemEmbeddings.Fuse(text, cf)).Message);
    }

    [Fact]
    public void Matrices_reject_wrong_lengths_and_non_finite_values()
    {
        Assert.Contains("Expected 2 × 3", Assert.Throws<ArgumentException>(() => new EmbeddingMatrix(new float[5], 2, 3)).Message);
        Assert.Contains("Row 1", Assert.Throws<ArgumentException>(() => new EmbeddingMatrix(new float[] { 1, 2, float.NaN, 0 }, 2, 2)).Message);
        Assert.Contains("Row 2 has 1 values", Assert.Throws<ArgumentException>(() => EmbeddingMatrix.FromRows(new[] { new float[2], new float[2], new float[1] })).Message);
    }

    [Fact]
    public void Tensor_round_trip_is_exact()
    {
        var embeddings = Make(IdentifierSource.Semantic, 7, 5, 3);
        using var tensor = embeddings.ToTensor();
        Assert.Equal(new long[] { 7, 5 }, tensor.shape);
        Assert.True(EmbeddingMatrix.FromTensor(tensor).ContentEquals(embeddings.Vectors));
    }
}
