using GenSR.Core;
using TorchSharp;

namespace GenSR.Evaluation.Tests.Baselines;

/// <summary>Popularity's validation NDCG@10, the bar the learned baselines must clear.</summary>
internal static class ValidationBaseline
{
    public static double PopularityNdcg10(DatasetSplit split, TaskKind task)
    {
        using var popularity = new PopularitySystem();
        var context = new EvaluationContext(torch.CPU, 1);
        popularity.Train(split, context);
        return context.EvaluateValidation(popularity, split, [task]).Single()["NDCG@10"];
    }
}
