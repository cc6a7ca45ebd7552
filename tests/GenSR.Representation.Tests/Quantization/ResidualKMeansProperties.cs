using FsCheck;
using FsCheck.Fluent;
using GenSR.Core;

namespace GenSR.Representation.Tests.Quantization;

/// <summary>Invariants of residual k-means identifiers over random item vectors, sizes and settings.</summary>
public sealed class ResidualKMeansProperties
{
    public ResidualKMeansProperties() => TorchRuntime.SetThreads(1);

    private static readonly Arbitrary<(float[][] Vectors, int Levels, int CodebookSize, CollisionStrategy Strategy, int Seed)> Inputs =
        Gen.Choose(2, 80).SelectMany(n => Gen.Choose(2, 8).SelectMany(dim => Gen.Choose(1, 3).SelectMany(levels => Gen.Choose(2, 16).SelectMany(size =>
            Gen.Elements(CollisionStrategy.ReassignLastLevel, CollisionStrategy.AppendLevel).SelectMany(strategy => Gen.Choose(0, 1000).SelectMany(seed =>
                Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(x => x / 100f), dim), n)
                    .Select(vectors => (vectors, levels, size, strategy, seed)))))))).ToArbitrary();

    [Fact]
    public void Every_item_gets_a_unique_identifier_with_codes_in_range_and_the_residual_error_never_grows_with_levels()
    {
        Prop.ForAll(Inputs, input =>
        {
            var (vectors, levels, size, strategy, seed) = input;
            var embeddings = new ItemEmbeddings(EmbeddingMatrix.FromRows(vectors), IdentifierSource.Semantic, "random");
            var quantization = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions
            {
                Levels = levels, CodebookSize = size, MinItemsPerCode = 1, Collisions = strategy, Seed = seed, Device = TorchSharp.torch.CPU,
            }).Quantize(embeddings);

            var table = quantization.Identifiers;
            var unique = Enumerable.Range(0, vectors.Length).Select(i => string.Join(",", table.GetCodes(i))).Distinct().Count() == vectors.Length;
            var inRange = Enumerable.Range(0, vectors.Length).All(i =>
                table.GetCodes(i).Select((code, level) => code >= 0 && code < table.LevelSizes[level]).All(x => x));
            var rawInRange = quantization.RawCodes.All(codes => codes.Count == levels && codes.All(c => c >= 0 && c < size));
            var errors = quantization.Levels.Select(l => l.ResidualMse).ToArray();
            var nonIncreasing = errors.Zip(errors.Skip(1), (before, after) => after <= before * (1 + 1e-4) + 1e-9).All(x => x);
            return (table.ItemCount == vectors.Length && unique && inRange && rawInRange && nonIncreasing && errors.Length == levels)
                .Label($"n={vectors.Length} levels={levels} size={size} {strategy}: unique={unique} inRange={inRange} raw={rawInRange} errors=[{string.Join(", ", errors)}]");
        }).QuickCheckThrowOnFailure();
    }
}
