using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>The result of a teacher-forced forward pass. Owns its tensors.</summary>
public sealed class GenSROutput : TensorBundle
{
    internal GenSROutput(Tensor logits, Tensor? collaborativeUser, Tensor? semanticUser, Tensor? denseScores = null)
    {
        Logits = Own(logits);
        DenseScores = Own(denseScores);
        CollaborativeUser = Own(collaborativeUser);
        SemanticUser = Own(semanticUser);
    }

    /// <summary>Next-token logits <c>[batch, target, vocab]</c>.</summary>
    public Tensor Logits { get; }

    /// <summary>The collaborative user soft token <c>[batch, d_model]</c>, or null when the view is off.</summary>
    public Tensor? CollaborativeUser { get; }

    /// <summary>The semantic user soft token <c>[batch, d_model]</c>, or null when the view is off.</summary>
    public Tensor? SemanticUser { get; }

    /// <summary>The dense head's scores of every catalogue item <c>[batch, items]</c>, or null (no dense head, or a pointwise batch).</summary>
    public Tensor? DenseScores { get; }
}
