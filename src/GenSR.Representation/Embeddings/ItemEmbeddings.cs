using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// One vector per catalogue item (row <c>i</c> = dense item id <c>i</c>), the view they come from and a label
/// for reports (e.g. <c>lightgcn</c>, <c>lsa</c>, <c>two-tower-v3</c>). The input of the item quantizers.
/// </summary>
public sealed class ItemEmbeddings
{
    /// <summary>Creates the set.</summary>
    /// <param name="vectors">Item vectors <c>[items, dimension]</c>; row <c>i</c> belongs to item id <c>i</c>.</param>
    /// <param name="source">Which view the vectors represent.</param>
    /// <param name="label">A short name for reports and file manifests (not empty).</param>
    /// <exception cref="ArgumentException">The label is empty or the source is not a defined value.</exception>
    public ItemEmbeddings(EmbeddingMatrix vectors, IdentifierSource source, string label)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (string.IsNullOrWhiteSpace(label)) throw new ArgumentException("A label (e.g. \"lightgcn\") is required.", nameof(label));
        if (!Enum.IsDefined(source)) throw new ArgumentException(
            $"Unknown identifier source {(int)source}; expected Semantic, Collaborative or Fused.", nameof(source));
        Vectors = vectors;
        Source = source;
        Label = label;
    }

    /// <summary>The vectors <c>[items, dimension]</c>.</summary>
    public EmbeddingMatrix Vectors { get; }

    /// <summary>Which view the vectors represent.</summary>
    public IdentifierSource Source { get; }

    /// <summary>Short name for reports.</summary>
    public string Label { get; }

    /// <summary>Number of items (rows).</summary>
    public int ItemCount => Vectors.Rows;

    /// <summary>Length of each vector.</summary>
    public int Dimension => Vectors.Dimension;

    /// <summary>The vector of item <paramref name="item"/>.</summary>
    public ReadOnlySpan<float> this[int item] => Vectors.Row(item);

    /// <summary>The vectors as a float32 tensor <c>[items, dimension]</c> on <paramref name="device"/> (CPU when null).</summary>
    public Tensor ToTensor(Device? device = null) => Vectors.ToTensor(device);

    /// <summary>A copy whose vectors have unit L2 norm (all-zero vectors stay zero); same source and label.</summary>
    public ItemEmbeddings L2Normalized() => new(Vectors.L2Normalized(), Source, Label);

    /// <summary>
    /// The fused view: per item, the L2-normalised collaborative vector followed by the L2-normalised semantic
    /// vector (dimension = sum of both), so that each view weighs the same in distances.
    /// </summary>
    /// <param name="collaborative">Vectors whose <see cref="Source"/> is <see cref="IdentifierSource.Collaborative"/>.</param>
    /// <param name="semantic">Vectors whose <see cref="Source"/> is <see cref="IdentifierSource.Semantic"/>, for the same items.</param>
    /// <exception cref="ArgumentException">A source is not the expected view, or the item counts differ.</exception>
    public static ItemEmbeddings Fuse(ItemEmbeddings collaborative, ItemEmbeddings semantic)
    {
        ArgumentNullException.ThrowIfNull(collaborative);
        ArgumentNullException.ThrowIfNull(semantic);
        if (collaborative.Source != IdentifierSource.Collaborative)
            throw new ArgumentException($"Expected collaborative vectors, got {collaborative.Source} vectors (\"{collaborative.Label}\").",
                nameof(collaborative));
        if (semantic.Source != IdentifierSource.Semantic)
            throw new ArgumentException($"Expected semantic vectors, got {semantic.Source} vectors (\"{semantic.Label}\").", nameof(semantic));
        if (collaborative.ItemCount != semantic.ItemCount)
            throw new ArgumentException($"The collaborative vectors (\"{collaborative.Label}\") cover {collaborative.ItemCount} items but the semantic " +
                $"vectors (\"{semantic.Label}\") cover {semantic.ItemCount}.", nameof(semantic));

        var cf = collaborative.Vectors.L2Normalized();
        var text = semantic.Vectors.L2Normalized();
        var dimension = cf.Dimension + text.Dimension;
        var values = new float[(long)cf.Rows * dimension];
        for (var i = 0; i < cf.Rows; i++)
        {
            cf.Row(i).CopyTo(values.AsSpan(i * dimension, cf.Dimension));
            text.Row(i).CopyTo(values.AsSpan(i * dimension + cf.Dimension, text.Dimension));
        }
        return new ItemEmbeddings(EmbeddingMatrix.Wrap(values, cf.Rows, dimension), IdentifierSource.Fused, $"{collaborative.Label}+{semantic.Label}");
    }
}
