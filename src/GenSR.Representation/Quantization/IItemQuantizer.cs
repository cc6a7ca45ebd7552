
namespace GenSR.Representation;

/// <summary>
/// Turns item vectors into item identifiers: short code sequences, one per item, collected in a collision-free
/// <see cref="GenSR.Core.IdentifierTable"/>. Implementations: <see cref="ResidualKMeansQuantizer"/> and
/// <see cref="RqVaeQuantizer"/>; create them with their static <c>Create</c> factories.
/// </summary>
public interface IItemQuantizer
{
    /// <summary>Short name for reports (e.g. <c>rq-kmeans</c>).</summary>
    string Name { get; }

    /// <summary>Quantises every item of <paramref name="embeddings"/> and builds its identifier table.</summary>
    /// <param name="embeddings">One vector per item (row = dense item id).</param>
    /// <param name="progress">Receives progress reports.</param>
    /// <param name="cancellationToken">Stops the work (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The identifier table, the raw codes, collision and codebook statistics.</returns>
    ItemQuantization Quantize(ItemEmbeddings embeddings, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default);
}
