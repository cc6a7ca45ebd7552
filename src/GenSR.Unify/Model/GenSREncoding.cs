using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>The encoder side of a batch: encoder states, their mask and the two user soft tokens. Owns its tensors.</summary>
public sealed class GenSREncoding : TensorBundle
{
    internal GenSREncoding(Tensor hidden, Tensor attentionMask, Tensor? collaborativeUser, Tensor? semanticUser, Tensor? queryVector = null,
                           Tensor? queryEmbedding = null, Tensor? historyItems = null, Tensor? historyMask = null)
    {
        HistoryItems = Own(historyItems);
        HistoryMask = Own(historyMask);
        QueryVector = Own(queryVector);
        QueryEmbedding = Own(queryEmbedding);
        Hidden = Own(hidden);
        AttentionMask = Own(attentionMask);
        CollaborativeUser = Own(collaborativeUser);
        SemanticUser = Own(semanticUser);
    }

    /// <summary>Encoder states <c>[batch, length, d_model]</c>.</summary>
    public Tensor Hidden { get; }

    /// <summary>Prompt attention mask <c>[batch, length]</c> int64.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>The collaborative user soft token <c>[batch, d_model]</c>, or null when the view is off.</summary>
    public Tensor? CollaborativeUser { get; }

    /// <summary>The semantic user soft token <c>[batch, d_model]</c>, or null when the view is off.</summary>
    public Tensor? SemanticUser { get; }

    /// <summary>The projected query vector <c>[batch, d_model]</c> (the <c>[query_vec]</c> soft token), or null in a model without query vectors.</summary>
    public Tensor? QueryVector { get; }

    /// <summary>
    /// The mean embedding of the query's tokens <c>[batch, d_model]</c> (zeros for recommendation rows), or null in a model
    /// whose dense head does not match query words with item category words.
    /// </summary>
    public Tensor? QueryEmbedding { get; }

    /// <summary>The batch's history item ids <c>[batch, hist]</c>, or null in a model whose dense head does not read the history's rows.</summary>
    public Tensor? HistoryItems { get; }

    /// <summary>The batch's real history entries <c>[batch, hist]</c>, or null with <see cref="HistoryItems"/>.</summary>
    public Tensor? HistoryMask { get; }
}
