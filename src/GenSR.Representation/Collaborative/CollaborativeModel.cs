using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// A collaborative-filtering model with one layer-0 ("ego") embedding per user and per item, trained by
/// <see cref="CollaborativeTrainer"/> with the BPR loss. <c>forward(users, items)</c> scores items for users by the dot
/// product of their final embeddings. Derive from it to train your own model through the same trainer.
/// </summary>
public abstract class CollaborativeModel : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Initialises the common shape information.</summary>
    /// <param name="name">Module name (also the label of the item embeddings it produces, e.g. <c>lightgcn</c>).</param>
    /// <param name="userCount">Number of users.</param>
    /// <param name="itemCount">Number of items.</param>
    /// <param name="embeddingDim">Embedding size.</param>
    /// <param name="device">The device the parameters live on.</param>
    protected CollaborativeModel(string name, int userCount, int itemCount, int embeddingDim, Device device)
        : base(name)
    {
        Label = name;
        UserCount = userCount;
        ItemCount = itemCount;
        EmbeddingDim = embeddingDim;
        Device = device;
    }

    /// <summary>Short name for reports and the label of the item embeddings (e.g. <c>lightgcn</c>, <c>mf-bpr</c>).</summary>
    public string Label { get; }

    /// <summary>Number of users.</summary>
    public int UserCount { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Embedding size.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The device the parameters live on, fixed at construction (models keep device-resident graph data, so build a new model
    /// for another device instead of moving one); inputs must be on it.</summary>
    public Device Device { get; }

    /// <summary>The trainable layer-0 tables: users <c>[users, dim]</c> and items <c>[items, dim]</c> (the L2 term of BPR applies to them).</summary>
    public abstract (Tensor Users, Tensor Items) EgoEmbeddings { get; }

    /// <summary>The final embeddings used for scoring: users <c>[users, dim]</c> and items <c>[items, dim]</c> (differentiable).</summary>
    public abstract (Tensor Users, Tensor Items) ComputeEmbeddings();

    /// <summary>Scores items for users: <c>users</c> int64 <c>[batch]</c>, <c>items</c> int64 <c>[batch, n]</c> → scores <c>[batch, n]</c>.</summary>
    public override Tensor forward(Tensor users, Tensor items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.dim() != 1 || items.dim() != 2 || items.shape[0] != users.shape[0])
            throw new ArgumentException(
                $"Expected users [batch] and items [batch, n], got [{string.Join(", ", users.shape)}] and [{string.Join(", ", items.shape)}].", nameof(items));
        using var scope = NewDisposeScope();
        var (allUsers, allItems) = ComputeEmbeddings();
        var u = allUsers.index_select(0, users);                                                   // [batch, dim]
        var v = allItems.index_select(0, items.reshape(-1)).reshape(items.shape[0], items.shape[1], EmbeddingDim); // [batch, n, dim]
        return (v * u.unsqueeze(1)).sum(-1).MoveToOuterDisposeScope();
    }
}
