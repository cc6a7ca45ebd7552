using GenSR.Representation.Collaborative;
using GenSR.Representation.Embeddings;
using GenSR.Representation.Quantization;
using GenSR.Unify.Model;

namespace GenSR.Unify.Pipeline;

/// <summary>What <see cref="GenSRPipeline.Prepare"/> produced: the item representations, identifiers and an untrained model.</summary>
/// <param name="Model">The GenSR model, randomly initialised (or from a pretrained backbone).</param>
/// <param name="Builder">Its input builder.</param>
/// <param name="ItemKeys">External key of every item, by dense id.</param>
/// <param name="Collaborative">LightGCN item embeddings and their training record.</param>
/// <param name="Semantic">LSA item embeddings.</param>
/// <param name="Quantization">The identifier table and its collision and codebook statistics.</param>
/// <param name="Elapsed">Time each stage took.</param>
public sealed record GenSRPrepared(
    GenSRModel Model,
    GenSRInputBuilder Builder,
    IReadOnlyList<string> ItemKeys,
    CollaborativeTrainingResult Collaborative,
    ItemEmbeddings Semantic,
    ItemQuantization Quantization,
    IReadOnlyDictionary<string, TimeSpan> Elapsed);
