// Consumer check: a short train-and-recommend run against the GenSR packages restored from the local feed
// (artifacts/packages), the way an application outside this repository uses them. Every step checks its own outcome;
// any failure prints the reason and exits with code 1. Run it with `bash samples/consumer/run.sh`.
using System.Diagnostics;
using System.Globalization;
using GenSR.ConsumerCheck;
using GenSR.Core.Data;
using GenSR.Core.Data.Splits;
using GenSR.Core.Demo;
using GenSR.Core.Metrics;
using GenSR.Core.Prompts;
using GenSR.Core.Runtime;
using GenSR.Core.Text;
using GenSR.Decoding.Search;
using GenSR.Decoding.Trie;
using GenSR.Representation.Collaborative;
using GenSR.Representation.Quantization;
using GenSR.Unify.T5;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
try
{
    var deviceChoice = ComputeDevice.Cpu;
    // One intra-op thread by default: these tensors are small, and on a busy machine torch's OpenMP threads wait for
    // each other far longer than they compute (measured: 67 s with the default threads vs 2 s with one on a loaded 2-core host).
    var threads = 1;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--device" && i + 1 < args.Length) deviceChoice = TorchRuntime.Parse(args[++i]);
        else if (args[i] == "--threads" && i + 1 < args.Length && int.TryParse(args[i + 1], out threads)) i++;
        else throw new ArgumentException($"Unknown argument \"{args[i]}\"; expected --device auto|cpu|cuda and --threads N (0 = torch's default).");
    }
    TorchRuntime.SetThreads(threads);
    Run(deviceChoice);
    Console.WriteLine($"consumer check passed in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"consumer check FAILED after {clock.Elapsed.TotalSeconds:F1} s: {e}");
    return 1;
}

static void Run(ComputeDevice deviceChoice)
{
    const long seed = 7;
    TorchRuntime.Seed(seed);
    var device = TorchRuntime.Resolve(deviceChoice);
    Step.Say($"device {device.type}, GenSR.Core {typeof(SrDataset).Assembly.GetName().Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}");

    // Data: the embedded demo shop, split leave-one-out; short histories keep the prompts short.
    var dataset = DemoDataset.Generate(new DemoDatasetOptions { Users = 400, Items = 300, MinEventsPerUser = 12, MaxEventsPerUser = 18 });
    var split = LeaveOneOutSplit.Create(dataset, new SplitOptions { MaxHistory = 10 });
    Step.Say($"dataset {dataset.ComputeStatistics()}; {split.TrainingExamples.Count} training examples, {split.Test.Count} test cases");
    Step.Require(split.Test.Count > 0, "the split has no test cases");

    // Collaborative view: LightGCN trained with BPR for a few epochs.
    var graph = new InteractionGraph(dataset.Users.Count, dataset.Catalog.Count,
        split.TrainingInteractions.Select(p => new UserItemPair(p.UserId, p.ItemId)));
    var validationItems = Enumerable.Repeat(-1, dataset.Users.Count).ToArray();
    foreach (var c in split.Validation) validationItems[c.UserId] = c.TargetItemId;
    using var lightGcn = new LightGcn(graph, new LightGcnOptions { EmbeddingDim = 32, Seed = seed, Device = deviceChoice });
    using var cfTrainer = new CollaborativeTrainer(lightGcn, graph, new ValidationTargets(validationItems, dataset.Catalog.Count),
        new CollaborativeTrainingOptions { MaxEpochs = 20, BatchSize = 512, LearningRate = 0.01, EvaluateEvery = 5, Seed = seed });
    var cf = cfTrainer.Train();
    var losses = cf.History.EpochLosses;
    Step.Say($"LightGCN: {cf.EpochsRun} epochs, BPR loss {losses[0]:F4} -> {losses[^1]:F4}, validation Recall@{cf.History.RecallK} " +
             $"{cf.BestValidationRecall:F4} (popularity {cfTrainer.EvaluatePopularity():F4}), {cf.Elapsed.TotalSeconds:F1} s");
    Step.Require(losses[^1] < 0.9 * losses[0], "the BPR loss of LightGCN did not fall by 10%");

    // Identifiers: residual k-means over the item vectors, then the prefix trie over all of them.
    var quantization = ResidualKMeansQuantizer.Create(new ResidualKMeansOptions { Levels = 3, CodebookSize = 16, Seed = seed, Device = deviceChoice })
        .Quantize(cf.ItemEmbeddings);
    var identifiers = quantization.Identifiers;
    Step.Require(identifiers.ItemCount == dataset.Catalog.Count, "the identifier table does not cover the catalogue");
    Step.Say($"identifiers: {identifiers.ItemCount} items x {identifiers.MaxLength} levels {string.Join("/", identifiers.LevelSizes)}, " +
             $"raw collisions {quantization.RawCollisions.CollidingItems}, e.g. item 0 = {identifiers.Format(0)}");

    var corpus = dataset.Catalog.Select(item => item.Text)
        .Concat(dataset.Histories.SelectMany(h => h).Select(e => e.Query ?? ""))
        .Concat(split.Test.Select(c => c.Query));
    var vocabulary = CompactGpt2Vocabulary.Build(corpus, identifiers.TokenCount);
    var trie = PrefixTrie.FromIdentifierTable(identifiers, vocabulary.IdentifierOffset, vocabulary.EosId);
    using var constraint = new TrieConstraint(trie, device);
    Step.Say($"vocabulary {vocabulary.Size} tokens ({vocabulary.TextTokenCount} text, {identifiers.TokenCount} identifier); " +
             $"trie {trie.NodeCount} nodes, depth {trie.Depth}");

    // Generative model: a tiny T5 (random init) that learns history + task prompt -> next item's identifier.
    var config = T5Config.Small(vocabulary.Size, dModel: 64, layers: 2, dropoutRate: 0.0);
    Step.Require(config.PadTokenId == vocabulary.PadId && config.EosTokenId == vocabulary.EosId, "T5 and the vocabulary disagree on pad/eos");
    using var model = new T5ForConditionalGeneration(config, new Generator((ulong)seed));
    model.to(device);
    var prompts = new PromptFactory(new PromptRenderer(vocabulary), identifiers, vocabulary);

    var examples = split.TrainingExamples;
    var order = Enumerable.Range(0, examples.Count).ToArray();
    new Random((int)seed).Shuffle(order);
    const int batchSize = 32, steps = 80;
    using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
    var stepLosses = new List<double>();
    model.train();
    for (var s = 0; s < steps; s++)
    {
        using var scope = NewDisposeScope();
        var batch = Enumerable.Range(s * batchSize, batchSize).Select(i => examples[order[i % order.Length]]).ToArray();
        using var prompt = PromptBatch.Collate(batch.Select(e => prompts.Render(e.History, e.Target.Task, e.Target.Query)).ToArray(), vocabulary, device);
        var labels = prompts.Labels(batch.Select(e => e.Target.ItemId).ToArray(), device);
        var logits = model.forward(prompt.InputIds, prompt.AttentionMask, model.ShiftRight(labels));
        var loss = T5ForConditionalGeneration.ComputeLoss(logits, labels);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        stepLosses.Add(loss.item<float>());
    }
    double first = stepLosses.Take(5).Average(), last = stepLosses.TakeLast(5).Average();
    Step.Say($"T5 {model.parameters().Sum(p => p.numel())} parameters: identifier loss {first:F3} -> {last:F3} over {steps} steps of {batchSize}");
    Step.Require(last < 0.8 * first, "the T5 identifier loss did not fall by 20%");

    // Recommend and search: trie-constrained beam search with the T5 decoder as the IStepDecoder.
    model.eval();
    var cases = split.Test.Take(128).ToArray();
    var search = new BeamSearch(new BeamSearchOptions { Beams = 20, TopK = 20 });
    var metrics = new MetricsAccumulator();
    foreach (var task in new[] { TaskKind.Recommendation, TaskKind.Search })
    {
        BeamSearchResult result;
        using (no_grad())
        using (var prompt = PromptBatch.Collate(cases.Select(c => prompts.Render(c.History, task, c.Query)).ToArray(), vocabulary, device))
        using (var encoded = model.EncodeTokens(prompt.InputIds, prompt.AttentionMask))
        using (var decoder = model.CreateStepDecoder(encoded, prompt.AttentionMask))
        {
            result = search.Search(decoder, constraint);
        }
        for (var q = 0; q < cases.Length; q++)
        {
            var items = result[q].Select(hit => hit.Item).ToArray();
            Step.Require(items.Length == 20, $"{task} case {q} returned {items.Length} items instead of 20");
            Step.Require(items.All(dataset.Catalog.Contains), $"{task} case {q} returned an item outside the catalogue");
            Step.Require(items.Distinct().Count() == items.Length, $"{task} case {q} returned an item twice");
            Step.Require(result[q].All(hit => trie.Contains(hit.Tokens.ToArray())), $"{task} case {q} decoded a sequence outside the trie");
        }
        metrics.Add(task, TargetRanks.FromGeneratedLists(result.Queries.Select(q => (IReadOnlyList<int>)q.Select(h => h.Item).ToArray()).ToArray(),
            cases.Select(c => c.TargetItemId).ToArray()));

        var shown = cases[0];
        Console.WriteLine($"  {task} for {dataset.Users[shown.UserId].Key}" + (task == TaskKind.Search ? $", query \"{shown.Query}\"" : "") +
                          $" (held-out item: {dataset.Catalog[shown.TargetItemId].Title}):");
        foreach (var hit in result[0].Take(5))
            Console.WriteLine($"    {identifiers.Format(hit.Item),-24} {hit.LogProbability,8:F3}  {dataset.Catalog[hit.Item].Title}");
    }
    var report = new EvaluationReport
    {
        Dataset = $"{dataset.Name} (first {cases.Length} test cases)",
        Protocol = EvaluationProtocol.FullRanking,
        SystemName = "tiny T5 + LightGCN/RQ-KMeans identifiers, trie-constrained beam search (20 beams)",
        Tasks = metrics.ComputeAll(),
        Notes = ["a smoke run of a few seconds of training, not a benchmark"],
    };
    Console.WriteLine(report.ToMarkdown());
}
