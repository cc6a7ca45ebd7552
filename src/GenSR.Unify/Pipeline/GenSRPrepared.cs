using System.Globalization;
using GenSR.Representation;

namespace GenSR.Unify;

/// <summary>What <see cref="GenSRPipeline.Prepare"/> produced: the item representations, identifiers and an untrained model.</summary>
/// <param name="Model">The GenSR model, randomly initialised (or from a pretrained backbone).</param>
/// <param name="Builder">Its input builder.</param>
/// <param name="ItemKeys">External key of every item, by dense id.</param>
/// <param name="Collaborative">LightGCN item embeddings and their training record.</param>
/// <param name="Semantic">The semantic item embeddings (LSA, or the pipeline's item encoder).</param>
/// <param name="Quantization">The identifier table and its collision and codebook statistics.</param>
/// <param name="Elapsed">Time each stage took.</param>
public sealed record GenSRPrepared(
    GenSRModel Model,
    GenSRInputBuilder Builder,
    IReadOnlyList<string> ItemKeys,
    CollaborativeTrainingResult Collaborative,
    ItemEmbeddings Semantic,
    ItemQuantization Quantization,
    IReadOnlyDictionary<string, TimeSpan> Elapsed)
{
    /// <summary>
    /// What the model needs to take new items without retraining (<see cref="GenSRRecommender.AddItems"/>; save it with the
    /// checkpoint), or null for text-first identifiers. It holds the fitted LSA encoder when the identifiers' semantic vectors
    /// are LSA's: dispose it when done.
    /// </summary>
    public NewItemIndex? NewItems { get; init; }

    /// <summary>
    /// The identifier and representation statistics a report should carry, in one line: the collision rate before
    /// resolution, each level's codebook use and perplexity, items per first-level code (mean and largest) and LightGCN's
    /// best validation Recall@20.
    /// </summary>
    public string Describe()
    {
        var q = Quantization;
        var levels = string.Join(", ", q.Levels.Select(l => string.Create(CultureInfo.InvariantCulture,
            $"level {l.Level + 1}: {l.UsedCodes}/{l.CodebookSize} codes used, perplexity {l.Perplexity:F1}")));
        var firstLevel = q.RawCodes.Where(c => c.Count > 0).GroupBy(c => c[0]).Select(g => g.Count()).ToArray();
        var cf = Collaborative.BestValidationRecall is double r ? string.Create(CultureInfo.InvariantCulture, $"{r:F4}") : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"identifiers ({q.Source}, {q.Quantizer}): raw collision rate {q.RawCollisions.CollisionRate:P1} ({q.RawCollisions.CollidingItems} of " +
            $"{q.RawCollisions.ItemCount} items), {levels}; " +
            $"items per first-level code: mean {(firstLevel.Length == 0 ? 0 : firstLevel.Average()):F1}, largest " +
            $"{(firstLevel.Length == 0 ? 0 : firstLevel.Max())}; " +
            $"LightGCN validation Recall@20 {cf} at epoch {Collaborative.BestEpoch}; semantic view: {SemanticViewWords}");
    }

    private string SemanticViewWords
    {
        get
        {
            var config = Model.Config;
            if (!config.UseSemanticView) return "off";
            return config.SemanticViewInput == GenSR.Unify.SemanticViewInput.ItemVectors
                ? string.Create(CultureInfo.InvariantCulture, $"frozen {config.ItemTextVectorDimension}-d item vectors")
                : string.Create(CultureInfo.InvariantCulture, $"{config.TitleTokens} title tokens per item");
        }
    }
}
