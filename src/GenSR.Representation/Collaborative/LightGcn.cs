using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// LightGCN (He et al., SIGIR 2020): layer-0 user and item embeddings propagated over the symmetric-normalised
/// user–item graph <c>Â = D^{-1/2} A D^{-1/2}</c> (a sparse tensor over users then items) for K layers without
/// feature transforms or non-linearities; the final embedding is the mean of layers 0 … K (α_k = 1/(K+1), Eq. 4 of the paper).
/// Parameter names follow the authors' PyTorch code: <c>embedding_user.weight</c>, <c>embedding_item.weight</c>.
/// </summary>
public sealed class LightGcn : CollaborativeModel
{
    private readonly Embedding embedding_user;
    private readonly Embedding embedding_item;
    private readonly Tensor _adjacency;
    private readonly int _layers;

    /// <summary>Builds the model for <paramref name="graph"/> on the device of <paramref name="options"/>.</summary>
    /// <param name="graph">The training graph; its pairs are the edges.</param>
    /// <param name="options">Architecture, seed and device; defaults when null.</param>
    public LightGcn(InteractionGraph graph, LightGcnOptions? options = null)
        : this(graph, options ?? new LightGcnOptions(), TorchRuntime.Resolve((options ?? new LightGcnOptions()).Device))
    {
    }

    private LightGcn(InteractionGraph graph, LightGcnOptions options, Device device)
        : base("lightgcn", graph.UserCount, graph.ItemCount, options.EmbeddingDim, device)
    {
        Options = options;
        _layers = options.Layers;
        using var generator = new Generator((ulong)options.Seed, CPU);
        embedding_user = CreateTable(graph.UserCount, options.EmbeddingDim, options.InitStd, generator, device);
        embedding_item = CreateTable(graph.ItemCount, options.EmbeddingDim, options.InitStd, generator, device);
        _adjacency = BuildNormalizedAdjacency(graph, device);
        RegisterComponents();
    }

    /// <summary>The options the model was built with.</summary>
    public LightGcnOptions Options { get; }

    /// <summary>Number of propagation layers K.</summary>
    public int Layers => _layers;

    /// <inheritdoc />
    public override (Tensor Users, Tensor Items) EgoEmbeddings => (embedding_user.weight!, embedding_item.weight!);

    /// <inheritdoc />
    public override (Tensor Users, Tensor Items) ComputeEmbeddings()
    {
        using var scope = NewDisposeScope();
        var layer = cat(new Tensor[] { embedding_user.weight!, embedding_item.weight! }, 0); // [users + items, dim]
        var sum = layer;
        for (var k = 0; k < _layers; k++)
        {
            layer = _adjacency.mm(layer);
            sum = sum.Plus(layer);
        }
        var final = sum.DivScalar(_layers + 1);
        var users = final.narrow(0, 0, UserCount).MoveToOuterDisposeScope();
        var items = final.narrow(0, UserCount, ItemCount).MoveToOuterDisposeScope();
        return (users, items);
    }

    /// <summary>
    /// The normalised adjacency as a sparse COO tensor <c>[users + items, users + items]</c>: entry (u, U + i) and (U + i, u) is
    /// <c>1 / sqrt(deg(u) · deg(i))</c> for every training pair.
    /// </summary>
    internal static Tensor BuildNormalizedAdjacency(InteractionGraph graph, Device device)
    {
        var pairs = graph.PairCount;
        var nodes = (long)graph.UserCount + graph.ItemCount;
        var rows = new long[2 * pairs];
        var cols = new long[2 * pairs];
        var values = new float[2 * pairs];
        var offsets = graph.UserOffsets;
        var items = graph.Items;
        var itemDegrees = graph.ItemDegrees;
        for (var u = 0; u < graph.UserCount; u++)
        {
            var userDegree = offsets[u + 1] - offsets[u];
            for (var p = offsets[u]; p < offsets[u + 1]; p++)
            {
                var itemNode = graph.UserCount + (long)items[p];
                var weight = (float)(1.0 / Math.Sqrt((double)userDegree * itemDegrees[items[p]]));
                rows[p] = u;
                cols[p] = itemNode;
                values[p] = weight;
                rows[pairs + p] = itemNode;
                cols[pairs + p] = u;
                values[pairs + p] = weight;
            }
        }
        using var indices = stack(new[] { tensor(rows), tensor(cols) });
        using var weights = tensor(values);
        using var adjacency = sparse_coo_tensor(indices, weights, new[] { nodes, nodes });
        return adjacency.to(device);
    }

    private static Embedding CreateTable(int rows, int dim, double std, Generator generator, Device device)
    {
        // Initialised on the CPU from a seeded generator, so the same seed gives the same weights on every device.
        using var init = normal(0.0, std, new long[] { rows, dim }, ScalarType.Float32, CPU, generator: generator);
        var table = nn.Embedding(rows, dim, device: device);
        using (no_grad()) table.weight!.copy_(init);
        return table;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _adjacency.Dispose();
        base.Dispose(disposing);
    }
}
