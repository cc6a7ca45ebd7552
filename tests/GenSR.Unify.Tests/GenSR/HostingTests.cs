using GenSR.Core;
using GenSR.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary><see cref="GenSRServiceCollectionExtensions.AddGenSR"/> and the checkpoint watcher, on an untrained tiny model.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class HostingTests : IDisposable
{
    private readonly DatasetSplit _split;
    private readonly GenSRPrepared _prepared;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"gensr-hosting-{Guid.NewGuid():N}");

    public HostingTests()
    {
        _split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = 120, Items = 100, Seed = 29 }));
        _prepared = TinyModel.Prepare(_split);
        GenSRCheckpoint.Save(_folder, _prepared.Model, _prepared.Builder, _prepared.ItemKeys);
    }

    public void Dispose()
    {
        _prepared.Model.Dispose();
        _prepared.NewItems?.Dispose();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("GenSR:" + s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddGenSR().Bind(configuration.GetSection("GenSR"));
        return services.BuildServiceProvider();
    }

    private IReadOnlyList<HistoryEvent> History(int user) =>
        _split.Test[user].History.Select(e => HistoryEvent.Viewed(_prepared.ItemKeys[e.ItemId])).ToArray();

    [Fact]
    public async Task AddGenSR_binds_its_options_from_configuration_and_serves_micro_batched_by_default()
    {
        await using (var provider = Services(("CheckpointPath", _folder), ("Device", "Cpu"), ("MicroBatchSize", "8")))
        {
            var served = provider.GetRequiredService<IGenSRRecommender>();
            var batcher = Assert.IsType<GenSRMicroBatcher>(served);
            Assert.Equal(8, batcher.Options.MaxBatch);
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(u => served.RecommendAsync(History(u), 5)));
            Assert.All(answers, a => Assert.Equal(5, a.Count));
            Assert.Same(provider.GetRequiredService<GenSRRecommender>(), provider.GetRequiredService<GenSRRecommender>());
            Assert.Contains(provider.GetServices<IHostedService>(), s => s is GenSRCheckpointWatcher);
        }

        await using (var plain = Services(("CheckpointPath", _folder), ("Device", "Cpu"), ("MicroBatching", "false")))
            Assert.IsType<GenSRRecommender>(plain.GetRequiredService<IGenSRRecommender>());
    }

    [Theory]
    [InlineData("CheckpointPath", "", "CheckpointPath is required")]
    [InlineData("MicroBatchSize", "0", "MicroBatchSize must be in [1, 4096]")]
    [InlineData("TorchThreads", "-2", "TorchThreads must be 0")]
    [InlineData("Device", "tpu", "Device must be auto, cpu, cuda or cuda:N, not \"tpu\"")]
    public async Task Bad_options_are_refused_with_the_setting_named(string key, string value, string message)
    {
        var settings = new List<(string, string)> { ("CheckpointPath", _folder) };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));
        await using var provider = Services([.. settings]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IGenSRRecommender>());
        Assert.Contains("GenSR", error.Message);
        Assert.Contains(message, new GenSRServingOptions { CheckpointPath = key == "CheckpointPath" ? "" : _folder, MicroBatchSize = key == "MicroBatchSize" ? 0 : 32, TorchThreads = key == "TorchThreads" ? -2 : 1, Device = key == "Device" ? value : "auto" }.Problem());
    }

    [Fact]
    public async Task The_watcher_reloads_a_newly_saved_version_and_skips_one_that_fails_to_load()
    {
        await using var provider = Services(("CheckpointPath", _folder), ("Device", "Cpu"), ("ReloadCheckSeconds", "60"));
        var recommender = provider.GetRequiredService<GenSRRecommender>();
        var watcher = provider.GetServices<IHostedService>().OfType<GenSRCheckpointWatcher>().Single();
        var first = recommender.CheckpointVersion;
        Assert.NotNull(first);
        var history = History(0);
        var before = await recommender.RecommendAsync(history, 5);
        string? failed = null;

        Assert.False(watcher.CheckOnce(recommender, ref failed)); // nothing new yet
        using (no_grad())
            foreach (var (_, p) in _prepared.Model.named_parameters()) p.mul_(-1);
        GenSRCheckpoint.Save(_folder, _prepared.Model, _prepared.Builder, _prepared.ItemKeys);
        Assert.True(watcher.CheckOnce(recommender, ref failed));
        Assert.NotEqual(first, recommender.CheckpointVersion);
        var after = await recommender.RecommendAsync(history, 5);
        Assert.NotEqual(before.Select(s => s.Score), after.Select(s => s.Score));

        // A pointer to a version that cannot load: logged, skipped, and the last good model keeps serving.
        var good = recommender.CheckpointVersion;
        File.WriteAllText(Path.Combine(_folder, GenSRCheckpoint.CurrentFileName), "v-broken");
        Assert.False(watcher.CheckOnce(recommender, ref failed));
        Assert.Equal("v-broken", failed);
        Assert.Equal(good, recommender.CheckpointVersion);
        Assert.Equal(after.Select(s => s.Score), (await recommender.RecommendAsync(history, 5)).Select(s => s.Score));
    }
}
