// Consumer check: a short train-and-recommend run against the GenSR packages restored from the local feed
// (artifacts/packages), the way an application outside this repository uses them: the pipeline prepares
// representations, identifiers and the unified model, the trainer trains it briefly, a checkpoint is saved and loaded
// back into the recommender facade, which then recommends and searches. Every step checks its own outcome; any failure
// prints the reason and exits with code 1. Run it with `bash eng/consumer/run.sh`.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using GenSR.ConsumerCheck;
using GenSR.Core;
using GenSR.Decoding;
using GenSR.Hosting;
using GenSR.Representation;
using GenSR.Unify;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var workspace = Directory.CreateTempSubdirectory("gensr-consumer-").FullName;
try
{
    // The name as given (the hosting option takes the name and checks it at start-up), and its parsed device.
    var deviceName = "cpu";
    // One intra-op thread by default: these tensors are small, and on a busy machine torch's OpenMP threads wait for
    // each other far longer than they compute (measured: 67 s with the default threads vs 2 s with one on a loaded 2-core host).
    var threads = 1;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--device" && i + 1 < args.Length) deviceName = args[++i];
        else if (args[i] == "--threads" && i + 1 < args.Length && int.TryParse(args[i + 1], out threads)) i++;
        else throw new ArgumentException($"Unknown argument \"{args[i]}\"; expected --device auto|cpu|cuda|cuda:N and --threads N (0 = torch's default).");
    }
    TorchRuntime.SetThreads(threads);
    Run(deviceName, workspace);
    Console.WriteLine($"consumer check passed in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"consumer check FAILED after {clock.Elapsed.TotalSeconds:F1} s: {e}");
    return 1;
}
finally
{
    Directory.Delete(workspace, recursive: true);
}

static void Run(string deviceName, string workspace)
{
    var deviceChoice = TorchRuntime.ParseDevice(deviceName);
    const long seed = 7;
    TorchRuntime.Seed(seed);
    var device = TorchRuntime.Resolve(deviceChoice);
    Step.Say($"device {device.type}, GenSR.Unify {typeof(GenSRPipeline).Assembly.GetName().Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}");
    // The packages carry a net8.0 and a net10.0 build; the one loaded must match the runtime this check runs on.
    var runtimeMajor = Environment.Version.Major;
    var libraryTarget = typeof(GenSRPipeline).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName ?? "unknown";
    Step.Say($"runtime {RuntimeInformation.FrameworkDescription}, GenSR.Unify built for {libraryTarget}");
    Step.Require(libraryTarget == $".NETCoreApp,Version=v{runtimeMajor}.0",
        $"the GenSR.Unify build loaded ({libraryTarget}) is not the package's build for .NET {runtimeMajor}");

    // Data: a small embedded demo shop, split leave-one-out.
    var dataset = DemoDataset.Generate(new DemoDatasetOptions { Users = 300, Items = 150, MinEventsPerUser = 12, MaxEventsPerUser = 16 });
    var split = LeaveOneOutSplit.Create(dataset);
    Step.Say($"dataset {dataset.ComputeStatistics()}; {split.TrainingExamples.Count} training examples, {split.Test.Count} test cases");
    Step.Require(split.Test.Count > 0, "the split has no test cases");

    // Pipeline: LightGCN, LSA item vectors, fused two-level identifiers, vocabulary and an untrained 64-wide, 1+1-layer model.
    var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
    {
        Device = deviceChoice,
        Seed = seed,
        ModelDimension = 64,
        Layers = 1,
        Dropout = 0,
        PromptHistoryItems = 8,
        TitleTokens = 6,
        Quantizer = new ResidualKMeansOptions { Levels = 2, MinItemsPerCode = 8 },
        CollaborativeTraining = new CollaborativeTrainingOptions { LearningRate = 1e-2, MaxEpochs = 40, EvaluateEvery = 10, Patience = 2 },
    });
    using var model = prepared.Model;
    var identifiers = prepared.Builder.Identifiers;
    Step.Say($"pipeline: LightGCN {prepared.Collaborative.EpochsRun} epochs (validation Recall@20 {prepared.Collaborative.BestValidationRecall:F4}), " +
             $"identifiers {string.Join(" x ", identifiers.LevelSizes)}, {model.parameters().Sum(p => p.numel()):N0} parameters; " +
             string.Join(", ", prepared.Elapsed.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F1} s")));
    Step.Require(identifiers.ItemCount == dataset.Catalog.Count, "the identifier table does not cover the catalogue");
    Step.Require(Enumerable.Range(0, identifiers.ItemCount).Select(identifiers.Format).Distinct().Count() == identifiers.ItemCount,
        "two items share an identifier");
    Step.Require(prepared.ItemKeys.SequenceEqual(dataset.Catalog.Select(i => i.Key)), "the prepared item keys differ from the catalogue's");

    // Training: two short epochs of mixed search and recommendation rows (sized to finish in seconds, not to converge).
    var checkpoints = Path.Combine(workspace, "checkpoints");
    var trainer = new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions
    {
        Epochs = 2,
        BatchSize = 64,
        LearningRate = 5e-3,
        WarmupSteps = 20,        // a run of seconds: the default warm-up of 200 steps would take most of it   // generative rows only, so the loss below is the identifier loss throughout
        ValidationCases = 100,
        Seed = seed,
        CheckpointFolder = checkpoints,
    });
    var training = trainer.Train(split, new LineProgress<TrainingProgress>(p =>
    {
        if (p.ValidationNdcg10 is double v)
            Step.Say($"  epoch {p.Epoch}, step {p.Step}/{p.TotalSteps}: loss {p.LanguageModelLoss:F3}, validation NDCG@10 {v:F4}");
    }));
    var losses = training.History.Select(h => h.LanguageModelLoss).ToArray();
    Step.Require(losses.Length >= 10, $"only {losses.Length} training steps ran");
    double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
    Step.Say($"trained {training.Steps} steps in {training.Elapsed.TotalSeconds:F1} s: loss {first:F3} -> {last:F3} (mean of the first and last 5 steps), " +
             $"best validation NDCG@10 {training.BestValidationNdcg10:F4}");
    Step.Require(last < 0.8 * first, "the training loss did not fall by 20%");
    Step.Require(GenSRCheckpoint.Exists(Path.Combine(checkpoints, "best")), "the trainer wrote no best/ checkpoint");

    // Checkpoint round trip: save, load into the facade, and compare with the in-memory model's answers.
    var folder = Path.Combine(workspace, "model");
    GenSRCheckpoint.Save(folder, model, prepared.Builder, prepared.ItemKeys);
    using var loaded = GenSRRecommender.Load(folder, deviceChoice);
    using var inMemory = new GenSRRecommender(model, prepared.Builder, prepared.ItemKeys);
    Step.Say($"checkpoint saved and loaded: {loaded.ItemCount} items, {new DirectoryInfo(folder).GetFiles().Sum(f => f.Length):N0} bytes");
    Step.Require(loaded.ItemCount == dataset.Catalog.Count, "the loaded recommender has a different catalogue size");

    // Recommend and search for test users; every answer must name distinct catalogue items, best first.
    var trie = PrefixTrie.FromIdentifierTable(identifiers, prepared.Builder.Vocabulary.IdentifierOffset, prepared.Builder.Vocabulary.EosId);
    var cases = split.Test.Take(64).ToArray();
    const int k = 10;
    var recommendations = loaded.RecommendBatch(cases.Select(c => c.History).ToArray(), k);
    var searches = loaded.SearchBatch(cases.Select(c => (c.History, c.Query)).ToArray(), k);
    foreach (var (task, lists) in new[] { (TaskKind.Recommendation, recommendations), (TaskKind.Search, searches) })
    {
        Step.Require(lists.Count == cases.Length, $"{task}: {lists.Count} answers for {cases.Length} requests");
        for (var q = 0; q < lists.Count; q++)
        {
            var items = lists[q];
            Step.Require(items.Count == k, $"{task} case {q} returned {items.Count} items instead of {k}");
            Step.Require(items.All(s => s.ItemId >= 0 && s.ItemId < dataset.Catalog.Count), $"{task} case {q} returned an item outside the catalogue");
            Step.Require(items.Select(s => s.ItemId).Distinct().Count() == k, $"{task} case {q} returned an item twice");
            Step.Require(items.All(s => s.Key == dataset.Catalog[s.ItemId].Key && s.Title == dataset.Catalog[s.ItemId].Title),
                $"{task} case {q} returned a key or title that does not match its item");
            Step.Require(items.All(s => trie.TryGetItem(identifiers.ToTokenIds(s.ItemId, prepared.Builder.Vocabulary.IdentifierOffset), out var item) && item == s.ItemId),
                $"{task} case {q} returned an item whose identifier the trie does not map back to it");
            Step.Require(items.Zip(items.Skip(1)).All(p => p.First.Score >= p.Second.Score), $"{task} case {q} is not sorted best first");
        }
    }

    var shown = cases[0];
    var fromMemory = inMemory.Recommend(shown.History, k);
    Step.Require(fromMemory.Select(s => s.ItemId).SequenceEqual(recommendations[0].Select(s => s.ItemId)),
        "the loaded checkpoint recommends differently from the model it was saved from");
    Step.Require(loaded.ItemId(dataset.Catalog[shown.TargetItemId].Key) == shown.TargetItemId, "ItemId does not map an item's key back to its id");
    // Candidate scoring: the log-probability of each given candidate's identifier, every candidate once, best first.
    var candidates = Enumerable.Range(0, 20).Select(i => (shown.TargetItemId + 7 * i) % dataset.Catalog.Count).Distinct().ToArray();
    var scored = loaded.ScoreCandidates(shown.History, TaskKind.Recommendation, null, candidates, CandidateScoring.Generative);
    Step.Require(scored.Select(s => s.ItemId).Order().SequenceEqual(candidates.Order()), "ScoreCandidates did not score every candidate exactly once");
    Step.Require(scored.All(s => s.Score <= 0 && float.IsFinite(s.Score)), "a candidate score is not a finite log-probability");
    Step.Require(scored.Zip(scored.Skip(1)).All(p => p.First.Score >= p.Second.Score), "ScoreCandidates is not sorted best first");
    Console.WriteLine($"  {dataset.Users[shown.UserId].Key}, last item \"{dataset.Catalog[shown.History[^1].ItemId].Title}\", held out \"{dataset.Catalog[shown.TargetItemId].Title}\":");
    Console.WriteLine($"    recommended: {string.Join("; ", recommendations[0].Take(3).Select(s => s.Title))}");
    Console.WriteLine($"    search \"{shown.Query}\": {string.Join("; ", searches[0].Take(3).Select(s => s.Title))}");

    // The hosting package: the same checkpoint served through services.AddGenSR() as a micro-batched IGenSRRecommender, by keys.
    var services = new ServiceCollection();
    services.AddGenSR(o => { o.CheckpointPath = folder; o.Device = deviceName; o.TorchThreads = 0; });
    using (var provider = services.BuildServiceProvider())
    {
        var gensr = provider.GetRequiredService<IGenSRRecommender>();
        var keyed = Task.WhenAll(cases.Take(16).Select(c => gensr.RecommendAsync(
            c.History.Select(e => new HistoryEvent(dataset.Catalog[e.ItemId].Key, e.Task == TaskKind.Search ? e.Query : null)).ToArray(), k))).GetAwaiter().GetResult();
        for (var q = 0; q < keyed.Length; q++)
        {
            var seen = cases[q].History.Select(e => dataset.Catalog[e.ItemId].Key).ToHashSet();
            Step.Require(keyed[q].Count == k, $"AddGenSR: case {q} returned {keyed[q].Count} items instead of {k}");
            Step.Require(keyed[q].All(s => s.Key == dataset.Catalog[s.ItemId].Key && !seen.Contains(s.Key)), $"AddGenSR: case {q} returned a seen item or a wrong key");
        }
        Step.Say($"served through AddGenSR: {keyed.Length} concurrent keyed requests, {k} unseen items each");
    }

    // Hit rates of the loaded model beside the popularity ranking, for the log (a few seconds of training: not a benchmark).
    var popularity = new int[dataset.Catalog.Count];
    foreach (var pair in split.TrainingInteractions) popularity[pair.ItemId]++;
    var popular = Enumerable.Range(0, popularity.Length).OrderByDescending(i => popularity[i]).Take(k).ToHashSet();
    double HitRate(IReadOnlyList<IReadOnlyList<ScoredItem>> lists) => cases.Select((c, q) => lists[q].Any(s => s.ItemId == c.TargetItemId) ? 1.0 : 0.0).Average();
    var popularHits = cases.Average(c => popular.Contains(c.TargetItemId) ? 1.0 : 0.0);
    Step.Say($"Recall@{k} over {cases.Length} test users (full ranking): recommendation {HitRate(recommendations):F3}, search {HitRate(searches):F3}, " +
             $"popularity {popularHits:F3}, random {(double)k / dataset.Catalog.Count:F3}");
    Step.Require(HitRate(searches) > (double)k / dataset.Catalog.Count, "search does not beat a random ranking");
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order.</summary>
internal sealed class LineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
