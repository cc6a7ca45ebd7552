using GenSR.Core.Data;
using GenSR.Core.Identifiers;
using GenSR.Core.Prompts;
using GenSR.Core.Text;
using GenSR.Unify.T5;
using static TorchSharp.torch;

namespace GenSR.ConsumerCheck;

/// <summary>
/// Task prompts whose history is the items' identifier tokens, and identifier targets for the decoder. The soft-token
/// slots of the GenSR templates keep the vocabulary's soft-token id here (nothing is injected into them).
/// </summary>
internal sealed class PromptFactory(PromptRenderer renderer, IdentifierTable identifiers, ModelVocabulary vocabulary)
{
    /// <summary>The prompt of <paramref name="task"/> for a history (the query is used by search prompts only).</summary>
    public RenderedPrompt Render(IReadOnlyList<SrEvent> history, TaskKind task, string? query)
    {
        var items = history.Select(e => (IReadOnlyList<int>)identifiers.ToTokenIds(e.ItemId, vocabulary.IdentifierOffset)).ToArray();
        var values = PromptValues.Create(items, task == TaskKind.Search ? query ?? "" : null);
        return renderer.Render(GenSRPromptTemplates.For(task), values);
    }

    /// <summary>Decoder targets int64 [items, longest identifier + 1]: identifier tokens, eos, then ignored positions.</summary>
    public Tensor Labels(IReadOnlyList<int> items, Device device)
    {
        var width = identifiers.MaxLength + 1;
        var labels = new long[items.Count * width];
        Array.Fill(labels, T5ForConditionalGeneration.IgnoreLabel);
        for (var i = 0; i < items.Count; i++)
        {
            var tokens = identifiers.ToTokenIds(items[i], vocabulary.IdentifierOffset);
            for (var t = 0; t < tokens.Length; t++) labels[i * width + t] = tokens[t];
            labels[i * width + tokens.Length] = vocabulary.EosId;
        }
        return tensor(labels, [items.Count, width]).to(device);
    }
}
