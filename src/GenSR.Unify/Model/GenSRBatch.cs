using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// One batch of model inputs on a device, built by <see cref="GenSRInputBuilder"/>. Owns its tensors.
/// All rows share one mode (generative or pointwise), so they share the prompt's soft-token slots; tasks may be mixed.
/// </summary>
public sealed class GenSRBatch : TensorBundle
{
    internal GenSRBatch(PromptBatch prompt, Tensor historyItems, Tensor historyMask, Tensor historyTasks, Tensor tasks,
                        Tensor queryIds, Tensor queryMask, Tensor candidates, bool pointwise, Tensor? labels, Tensor? targetItems = null,
                        Tensor? queryVectors = null)
    {
        QueryVectors = Own(queryVectors);
        TargetItems = Own(targetItems);
        Prompt = Own(prompt);
        HistoryItems = Own(historyItems);
        HistoryMask = Own(historyMask);
        HistoryTasks = Own(historyTasks);
        Tasks = Own(tasks);
        QueryIds = Own(queryIds);
        QueryMask = Own(queryMask);
        Candidates = Own(candidates);
        Pointwise = pointwise;
        Labels = Own(labels);
    }

    /// <summary>The rendered task prompts: ids and attention mask <c>[batch, length]</c>, soft-token positions <c>[batch, slots]</c>.</summary>
    public PromptBatch Prompt { get; }

    /// <summary>Item ids of the unified history, oldest first, <c>[batch, hist]</c> int64 (0 at padding).</summary>
    public Tensor HistoryItems { get; }

    /// <summary>Real history entries <c>[batch, hist]</c> bool.</summary>
    public Tensor HistoryMask { get; }

    /// <summary>Task of each history event <c>[batch, hist]</c> int64 (values of <see cref="GenSR.Core.TaskKind"/>).</summary>
    public Tensor HistoryTasks { get; }

    /// <summary>Task of each row <c>[batch]</c> int64.</summary>
    public Tensor Tasks { get; }

    /// <summary>Query token ids <c>[batch, q]</c> int64 (pad ids for recommendation rows).</summary>
    public Tensor QueryIds { get; }

    /// <summary>Real query tokens <c>[batch, q]</c> bool.</summary>
    public Tensor QueryMask { get; }

    /// <summary>Candidate item of each row in pointwise mode <c>[batch]</c> int64 (0 and unused in generative mode).</summary>
    public Tensor Candidates { get; }

    /// <summary>Whether the rows are pointwise (Yes/No about a candidate) rather than generative.</summary>
    public bool Pointwise { get; }

    /// <summary>Target token ids <c>[batch, target]</c> int64 with <c>-100</c> at padding, or null for inference batches.</summary>
    public Tensor? Labels { get; }

    /// <summary>The item each generative training row targets <c>[batch]</c> int64, or null for inference and pointwise batches.</summary>
    public Tensor? TargetItems { get; }

    /// <summary>
    /// Pretrained sentence vectors of the queries <c>[batch, query_vector_dimension]</c> float32 (zeros for recommendation
    /// rows), or null when the model reads none.
    /// </summary>
    public Tensor? QueryVectors { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Prompt.BatchSize;
}
