using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using GenSR.Core;
using GenSR.Serving;
using GenSR.Serving.LoadTest;
using GenSR.Unify;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// GenSR.Serving.LoadTest [--model toy|large] [--clients 32] [--requests 2000] [--batching on|off|both] [--folder <dir>]
// (LoadTestCommandLine; --help describes the options). Each client sends --requests /recommend calls one after another.
if (LoadTestCommandLine.Parse(args, Console.Out, Console.Error, out var exitCode) is not { } options)
    return exitCode;
var (model, clients, requests, batching) = (options.Model, options.Clients, options.Requests, options.Batching);
var folder = Path.GetFullPath(options.CheckpointFolder);

TorchRuntime.SetThreads(1);
if (model == "toy") ServingApp.PrepareDemoCheckpoint(folder);
else if (!GenSRCheckpoint.Exists(folder))
{
    var split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 2000, Items = 5000, Seed = 3 }));
    var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
    {
        Device = TorchSharp.torch.CPU, ModelDimension = 256, Layers = 4, FeedForwardDimension = 1024, PromptHistoryItems = 10, DenseDimension = 64,
        CollaborativeTraining = new() { MaxEpochs = 2, EvaluateEvery = 2, Patience = 1 },
    });
    using (prepared.Model)
    {
        Console.WriteLine($"large model: {prepared.Model.parameters().Sum(p => p.numel()):N0} parameters, {prepared.ItemKeys.Count:N0} items");
        GenSRCheckpoint.Save(folder, prepared.Model, prepared.Builder, prepared.ItemKeys);
    }
    prepared.NewItems?.Dispose();
}

Console.WriteLine($"| model | micro-batching | clients × requests | p50 ms | p95 ms | p99 ms | requests/s | mean batch |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var on in batching == "both" ? new[] { false, true } : [batching == "on"])
{
    var app = ServingApp.Build([], builder =>
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["GenSR:CheckpointPath"] = folder;
        builder.Configuration["GenSR:Device"] = "Cpu";
        builder.Configuration["GenSR:MicroBatching"] = on ? "true" : "false";
        builder.Configuration["GenSR:ReloadCheckSeconds"] = "0";
    });
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    var keys = app.Services.GetRequiredService<GenSRRecommender>().ItemKeys;
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(address) };
    // Warm-up: one call per client.
    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Call(http, keys, new Random(c))));
    var latencies = new double[clients * requests];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        var random = new Random(1000 + c);
        for (var r = 0; r < requests; r++)
        {
            var start = Stopwatch.GetTimestamp();
            await Call(http, keys, random);
            latencies[c * requests + r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    })));
    clock.Stop();
    Array.Sort(latencies);
    double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
    var served = app.Services.GetRequiredService<IGenSRRecommender>();
    var meanBatch = served is GenSRMicroBatcher b && b.Batches > 0 ? ((double)b.Answered / b.Batches).ToString("F1", CultureInfo.InvariantCulture) : "1";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {model} | {(on ? "on" : "off")} | {clients} × {requests} | {P(0.5):F1} | {P(0.95):F1} | {P(0.99):F1} | {latencies.Length / clock.Elapsed.TotalSeconds:F0} | {meanBatch} |"));
    await app.StopAsync();
    await app.DisposeAsync();
}
return 0;

static async Task Call(HttpClient http, IReadOnlyList<string> keys, Random random)
{
    var history = Enumerable.Range(0, 5).Select(_ => new EventDto(keys[random.Next(keys.Count)])).ToArray();
    var response = await http.PostAsJsonAsync("/recommend", new RecommendRequest(history, K: 10));
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
}
