
namespace GenSR.Representation;

/// <summary>The outcome of <see cref="CollaborativeTrainer.Train"/>: the best epoch's embeddings and the training history.</summary>
/// <param name="ItemEmbeddings">Final item embeddings <c>[items, dim]</c> of the best epoch (source <see cref="IdentifierSource.Collaborative"/>,
/// label = model label).</param>
/// <param name="UserEmbeddings">Final user embeddings <c>[users, dim]</c> of the best epoch.</param>
/// <param name="History">Loss per epoch and validation Recall@K per evaluation.</param>
/// <param name="BestEpoch">The epoch whose embeddings are returned (the last epoch when there is no validation).</param>
/// <param name="BestValidationRecall">Validation Recall@K of <paramref name="BestEpoch"/>, or <c>null</c> without validation targets.</param>
/// <param name="EpochsRun">Number of epochs trained.</param>
/// <param name="StoppedEarly">Whether training stopped because validation Recall@K stopped improving.</param>
/// <param name="Elapsed">Wall-clock training time.</param>
public sealed record CollaborativeTrainingResult(
    ItemEmbeddings ItemEmbeddings,
    EmbeddingMatrix UserEmbeddings,
    CollaborativeTrainingHistory History,
    int BestEpoch,
    double? BestValidationRecall,
    int EpochsRun,
    bool StoppedEarly,
    TimeSpan Elapsed);
