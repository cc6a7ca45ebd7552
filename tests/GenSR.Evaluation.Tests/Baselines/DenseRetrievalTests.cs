using GenSR.Core;
using GenSR.Representation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Evaluation.Tests.Baselines;

public sealed class DenseRetrievalTests
{
    private static readonly ItemCatalog Catalogue = new(
    [
        new Item(0, "a", "saw", "", "", []),
        new Item(1, "b", "drill", "", "", []),
        new Item(2, "c", "hose", "", "", []),
        new Item(3, "d", "saw drill", "", "", []),
    ]);

    /// <summary>Bag of words over {saw, drill, hose}, scaled by the text length so that normalisation matters; counts its instances.</summary>
    private sealed class WordEncoder : ISemanticEncoder
    {
        public static int Created;
        public static int Disposed;
        public WordEncoder() => Interlocked.Increment(ref Created);
        public int Dimension => 3;
        public Device Device => CPU;

        public Tensor Encode(IReadOnlyList<string> texts, IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            string[] words = ["saw", "drill", "hose"];
            var values = texts.SelectMany(t => words.Select(w => t.Split(' ').Count(x => x == w) * (float)(1 + t.Length))).ToArray();
            return tensor(values, [texts.Count, 3]);
        }

        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    private static float[] Scores(TaskKind task, EvaluationCase c)
    {
        using var system = new DenseRetrievalSystem("dense", () => new WordEncoder(), fields: ItemTextFields.Title, historyItems: 2);
        system.Train(LeaveOneOutSplit.Create(TestDatasets.WithHistories(Catalogue, [0, 1, 2], [1, 2, 3])), new EvaluationContext(torch.CPU, 1));
        var scores = new float[Catalogue.Count];
        system.ScoreCatalog(task, [c], scores);
        return scores;
    }

    [Fact]
    public void Search_scores_are_cosines_of_the_query_and_the_item_texts()
    {
        var scores = Scores(TaskKind.Search, new EvaluationCase(0, [], SrEvent.Recommendation(0, 0), "saw", 0));
        Assert.Equal([1f, 0f, 0f, (float)(1 / Math.Sqrt(2))], scores, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Recommendation_scores_the_mean_of_the_most_recent_history_items()
    {
        // History hose, drill, saw: the two most recent (saw, drill) average to (1, 1, 0); cosine is then ∝ that dot product.
        var history = new[] { SrEvent.Recommendation(0, 2), SrEvent.Recommendation(0, 1), SrEvent.Recommendation(0, 0) };
        var scores = Scores(TaskKind.Recommendation, new EvaluationCase(0, history, SrEvent.Recommendation(0, 3), "", 3));
        Assert.Equal(scores[0], scores[1], 6);
        Assert.Equal(0f, scores[2]);
        Assert.True(scores[3] > scores[0]);
        Assert.Equal(Math.Sqrt(2) * scores[0], scores[3], 5);
    }

    [Fact]
    public void The_encoder_is_created_once_and_disposed_with_the_system()
    {
        var created = WordEncoder.Created;
        var disposed = WordEncoder.Disposed;
        Scores(TaskKind.Search, new EvaluationCase(0, [], SrEvent.Recommendation(0, 0), "hose", 0));
        Assert.Equal(created + 1, WordEncoder.Created);
        Assert.Equal(disposed + 1, WordEncoder.Disposed);
        using var untrained = new DenseRetrievalSystem("dense", () => new WordEncoder());
        Assert.Throws<InvalidOperationException>(() => untrained.ScoreCatalog(TaskKind.Search, [], []));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
