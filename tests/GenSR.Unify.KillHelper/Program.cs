using GenSR.Core;
using GenSR.Unify;
using static TorchSharp.torch;

// Usage: GenSR.Unify.KillHelper <folder> <first state: 0 or 1>
// Prints "ready <fingerprint 0> <fingerprint 1>", then saves tiny model 0 or 1 into <folder>, alternating, and prints
// "saved <state>" after each completed save, until killed.
// The kill test loads the folder after a kill at a random instant and checks it holds state 0 or 1, complete.
var folder = args[0];
var state = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var (model0, builder, keys) = KillHelperModels.Create(0);
var (model1, _, _) = KillHelperModels.Create(1);
// The two states' fingerprints (the sum of the shared token embedding), for the test to recognise a loaded checkpoint.
static float Fingerprint(GenSRModel model)
{
    using var _ = no_grad();
    return model.Backbone.SharedEmbedding.sum().item<float>();
}
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ready {Fingerprint(model0):R} {Fingerprint(model1):R}"));
while (true)
{
    GenSRCheckpoint.Save(folder, state == 0 ? model0 : model1, builder, keys);
    Console.WriteLine($"saved {state}");
    state = 1 - state;
}

/// <summary>Two tiny GenSR models of the same shapes whose weights differ (seed 0 and seed 1).</summary>
public static class KillHelperModels
{
    public static (GenSRModel Model, GenSRInputBuilder Builder, string[] Keys) Create(int seed)
    {
        const int items = 12;
        var identifiers = new IdentifierTable(Enumerable.Range(0, items).Select(i => (IReadOnlyList<int>)[i / 4, i % 4]).ToArray(), [3, 4]);
        var titles = Enumerable.Range(0, items).Select(i => $"item number {i}").ToArray();
        var vocabulary = CompactGpt2Vocabulary.Build(titles, identifiers.TokenCount);
        var backbone = T5Config.Small(vocabulary.Size, 32, 1) with { PadTokenId = vocabulary.PadId, EosTokenId = vocabulary.EosId, DecoderStartTokenId = vocabulary.PadId };
        var config = new GenSRModelConfig { Backbone = backbone, ItemCount = items, CollaborativeDimension = 8, CollaborativeEncoderDimension = 8, TitleTokens = 3 }.Validate();
        using var cf = randn(items, 8, generator: new Generator((ulong)seed + 7));
        using var titleIds = full(items, 3, (long)vocabulary.UnknownId, ScalarType.Int64);
        var model = new GenSRModel(config, cf, titleIds, vocabulary.PadId, seed: seed);
        var builder = new GenSRInputBuilder(config, vocabulary, identifiers, titles, promptHistoryItems: 4);
        return (model, builder, Enumerable.Range(0, items).Select(i => $"item-{i}").ToArray());
    }
}
