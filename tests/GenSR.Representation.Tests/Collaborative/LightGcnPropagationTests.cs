using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation.Tests.Collaborative;

public sealed class LightGcnPropagationTests
{
    public LightGcnPropagationTests() => TorchRuntime.SetThreads(1);

    [Fact]
    public void Final_embeddings_are_the_mean_of_layers_propagated_over_the_symmetric_normalised_graph()
    {
        // users 0,1,2; items 0,1: u0–i0, u0–i1, u1–i1, u2–i1.
        var graph = new InteractionGraph(3, 2, new UserItemPair[] { new(0, 0), new(0, 1), new(1, 1), new(2, 1) });
        using var model = new LightGcn(graph, new LightGcnOptions { EmbeddingDim = 2, Layers = 2, Device = TorchSharp.torch.CPU });
        var (egoUsers, egoItems) = model.EgoEmbeddings;
        var e0 = new double[5][];
        for (var u = 0; u < 3; u++) e0[u] = egoUsers[u].data<float>().ToArray().Select(x => (double)x).ToArray();
        for (var i = 0; i < 2; i++) e0[3 + i] = egoItems[i].data<float>().ToArray().Select(x => (double)x).ToArray();

        // Dense reference: Â = D^-1/2 A D^-1/2 over nodes [u0, u1, u2, i0, i1].
        var edges = new[] { (0, 3), (0, 4), (1, 4), (2, 4) };
        var degree = new double[5];
        foreach (var (a, b) in edges) { degree[a]++; degree[b]++; }
        var adjacency = new double[5, 5];
        foreach (var (a, b) in edges) adjacency[a, b] = adjacency[b, a] = 1 / Math.Sqrt(degree[a] * degree[b]);
        double[][] Propagate(double[][] e) => Enumerable.Range(0, 5)
            .Select(r => Enumerable.Range(0, 2).Select(d => Enumerable.Range(0, 5).Sum(c => adjacency[r, c] * e[c][d])).ToArray()).ToArray();
        var e1 = Propagate(e0);
        var e2 = Propagate(e1);

        using var noGrad = no_grad();
        var (users, items) = model.ComputeEmbeddings();
        for (var node = 0; node < 5; node++)
        {
            var actual = node < 3 ? users[node].data<float>().ToArray() : items[node - 3].data<float>().ToArray();
            for (var d = 0; d < 2; d++)
                Assert.Equal((e0[node][d] + e1[node][d] + e2[node][d]) / 3, actual[d], 5);
        }
    }

    [Fact]
    public void Forward_scores_are_dot_products_of_final_embeddings()
    {
        var graph = new InteractionGraph(2, 3, new UserItemPair[] { new(0, 0), new(1, 2), new(1, 1) });
        using var model = new LightGcn(graph, new LightGcnOptions { EmbeddingDim = 4, Device = TorchSharp.torch.CPU });
        using var noGrad = no_grad();
        var (users, items) = model.ComputeEmbeddings();
        var scores = model.forward(tensor(new long[] { 1, 0 }), tensor(new long[,] { { 0, 2 }, { 1, 1 } }));
        Assert.Equal(new long[] { 2, 2 }, scores.shape);
        Assert.Equal(users[1].dot(items[2]).item<float>(), scores[0, 1].item<float>(), 5);
        Assert.Equal(users[0].dot(items[1]).item<float>(), scores[1, 0].item<float>(), 5);
    }

    [Fact]
    public void Same_seed_gives_same_initial_weights_and_bad_options_are_rejected()
    {
        var graph = new InteractionGraph(2, 2, new UserItemPair[] { new(0, 0), new(1, 1) });
        using var a = new LightGcn(graph, new LightGcnOptions { Seed = 5, Device = TorchSharp.torch.CPU });
        using var b = new LightGcn(graph, new LightGcnOptions { Seed = 5, Device = TorchSharp.torch.CPU });
        Assert.Equal(a.EgoEmbeddings.Items.data<float>().ToArray(), b.EgoEmbeddings.Items.data<float>().ToArray());

        var layers = Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { Layers = 0 });
        Assert.Equal("Layers", layers.ParamName);
        Assert.Contains("[1, 8]", layers.Message);
        Assert.Equal("EmbeddingDim", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorizationOptions { EmbeddingDim = 0 }).ParamName);
    }
}
