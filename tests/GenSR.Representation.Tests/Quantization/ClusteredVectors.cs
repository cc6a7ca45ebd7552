
namespace GenSR.Representation.Tests.Quantization;

/// <summary>Generated item vectors: Gaussian blobs around random centres, optionally with exact duplicates that force collisions.</summary>
internal static class ClusteredVectors
{
    public static ItemEmbeddings Create(int items, int dimension, int clusters, int duplicates = 0, int seed = 11, double noise = 0.3)
    {
        var random = new Random(seed);
        var centres = new double[clusters][];
        for (var c = 0; c < clusters; c++) centres[c] = Enumerable.Range(0, dimension).Select(_ => Gaussian(random) * 2).ToArray();
        var values = new float[items * dimension];
        for (var i = 0; i < items; i++)
        {
            if (i >= items - duplicates)
            {
                // The last items copy earlier ones exactly: no quantizer can tell them apart.
                var source = i - (items - duplicates);
                Array.Copy(values, source * dimension, values, i * dimension, dimension);
                continue;
            }
            var centre = centres[random.Next(clusters)];
            for (var d = 0; d < dimension; d++) values[i * dimension + d] = (float)(centre[d] + noise * Gaussian(random));
        }
        return new ItemEmbeddings(new EmbeddingMatrix(values, items, dimension), IdentifierSource.Semantic, "generated");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
