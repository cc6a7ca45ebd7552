using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Matrix factorisation scored by the dot product of user and item embeddings, trained with BPR
/// (Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009): the simple baseline
/// for <see cref="LightGcn"/> (equivalent to LightGCN with zero layers).
/// </summary>
public sealed class MatrixFactorization : CollaborativeModel
{
    private readonly Embedding embedding_user;
    private readonly Embedding embedding_item;

    /// <summary>Builds the model for <paramref name="userCount"/> users and <paramref name="itemCount"/> items.</summary>
    /// <param name="userCount">Number of users (at least 1).</param>
    /// <param name="itemCount">Number of items (at least 1).</param>
    /// <param name="options">Embedding size, seed and device; defaults when null.</param>
    public MatrixFactorization(int userCount, int itemCount, MatrixFactorizationOptions? options = null)
        : this(Checked(userCount, nameof(userCount)), Checked(itemCount, nameof(itemCount)), options ?? new MatrixFactorizationOptions(),
               TorchRuntime.Resolve((options ?? new MatrixFactorizationOptions()).Device))
    {
    }

    /// <summary>Builds the model for the users and items of <paramref name="graph"/>.</summary>
    public MatrixFactorization(InteractionGraph graph, MatrixFactorizationOptions? options = null)
        : this((graph ?? throw new ArgumentNullException(nameof(graph))).UserCount, graph.ItemCount, options)
    {
    }

    private MatrixFactorization(int userCount, int itemCount, MatrixFactorizationOptions options, Device device)
        : base("mf-bpr", userCount, itemCount, options.EmbeddingDim, device)
    {
        Options = options;
        using var generator = new Generator((ulong)options.Seed, CPU);
        embedding_user = CreateTable(userCount, options.EmbeddingDim, options.InitStd, generator, device);
        embedding_item = CreateTable(itemCount, options.EmbeddingDim, options.InitStd, generator, device);
        RegisterComponents();
    }

    /// <summary>The options the model was built with.</summary>
    public MatrixFactorizationOptions Options { get; }

    /// <inheritdoc />
    public override (Tensor Users, Tensor Items) EgoEmbeddings => (embedding_user.weight!, embedding_item.weight!);

    /// <inheritdoc />
    public override (Tensor Users, Tensor Items) ComputeEmbeddings() => (embedding_user.weight!.alias(), embedding_item.weight!.alias());

    private static int Checked(int count, string name) =>
        count >= 1 ? count : throw new ArgumentOutOfRangeException(name, count, "Must be at least 1.");

    private static Embedding CreateTable(int rows, int dim, double std, Generator generator, Device device)
    {
        // Initialised on the CPU from a seeded generator, so the same seed gives the same weights on every device.
        using var init = normal(0.0, std, new long[] { rows, dim }, ScalarType.Float32, CPU, generator: generator);
        var table = nn.Embedding(rows, dim, device: device);
        using (no_grad()) table.weight!.copy_(init);
        return table;
    }
}
