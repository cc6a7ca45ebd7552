using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GenSR.Serving.Tests;

/// <summary>The sample service on a real Kestrel socket on 127.0.0.1, called through HttpClient.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"gensr-service-{Guid.NewGuid():N}");

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ServingApp.PrepareDemoCheckpoint(Folder, epochs: 1, users: 200);
        App = ServingApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["GenSR:CheckpointPath"] = Folder;
            builder.Configuration["GenSR:Device"] = "Cpu";
            builder.Configuration["GenSR:ReloadCheckSeconds"] = "0";
        });
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}

public sealed class ServiceTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    private async Task<HealthResponse> Health() => (await _client.GetFromJsonAsync<HealthResponse>("/health"))!;

    [Fact]
    public async Task Health_names_the_catalogue_and_the_served_version()
    {
        var health = await Health();

        Assert.Equal("ok", health.Status);
        Assert.Equal(150, health.Items);
        Assert.StartsWith("v-", health.CheckpointVersion);
    }

    [Fact]
    public async Task Recommend_returns_k_items_by_key_without_the_history_or_denied_items()
    {
        var history = new[] { new EventDto("item-0003"), new EventDto("item-0010", "running shoes"), new EventDto("item-0042") };
        var first = await Post<ItemsResponse>("/recommend", new RecommendRequest(history, K: 10));
        Assert.Equal(10, first.Items.Count);
        Assert.DoesNotContain(first.Items, i => history.Any(h => h.Item == i.Key));

        var denied = first.Items.Take(5).Select(i => i.Key).ToArray();
        var second = await Post<ItemsResponse>("/recommend", new RecommendRequest(history, K: 10, Denied: denied));
        Assert.Equal(10, second.Items.Count);
        Assert.DoesNotContain(second.Items, i => denied.Contains(i.Key));
        Assert.Equal(first.Items.Skip(5).Select(i => i.Key), second.Items.Take(5).Select(i => i.Key));

        var allowed = await Post<ItemsResponse>("/recommend", new RecommendRequest(history, K: 10, Allowed: ["item-0001", "item-0003", "item-0099"]));
        Assert.Equal(["item-0001", "item-0099"], allowed.Items.Select(i => i.Key).Order());
    }

    [Fact]
    public async Task Search_and_score_answer_by_key_and_bad_requests_get_400_with_the_reason()
    {
        var found = await Post<ItemsResponse>("/search", new SearchRequest("outdoor gear", [new EventDto("item-0007")], K: 5));
        Assert.Equal(5, found.Items.Count);
        Assert.True(found.Items.Zip(found.Items.Skip(1)).All(p => p.First.Score >= p.Second.Score));

        var scored = await Post<ItemsResponse>("/score", new ScoreRequest([found.Items[2].Key, "no-such-item", found.Items[0].Key], [new EventDto("item-0007")], "outdoor gear"));
        Assert.Equal([found.Items[0].Key, found.Items[2].Key], scored.Items.Select(i => i.Key));
        Assert.Equal(found.Items[0].Score, scored.Items[0].Score, 1e-4f);

        var badK = await _client.PostAsJsonAsync("/recommend", new RecommendRequest([], K: 0));
        Assert.Equal(HttpStatusCode.BadRequest, badK.StatusCode);
        Assert.Contains("k must be at least 1", await badK.Content.ReadAsStringAsync());
        var noQuery = await _client.PostAsJsonAsync("/search", new SearchRequest(" "));
        Assert.Equal(HttpStatusCode.BadRequest, noQuery.StatusCode);
        Assert.Contains("non-empty query", await noQuery.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_clients_are_all_answered_through_the_micro_batcher()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            _client.PostAsJsonAsync("/recommend", new RecommendRequest([new EventDto($"item-{i % 150:D4}")], K: 5))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var batcher = Assert.IsType<GenSR.Unify.GenSRMicroBatcher>(service.App.Services.GetRequiredService<GenSR.Unify.IGenSRRecommender>());
        Assert.True(batcher.Batches < batcher.Answered, $"{batcher.Answered} calls in {batcher.Batches} batches");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/recommend", "/search", "/score", "/health" }) Assert.Contains($"\"{path}\"", document);
    }

    private async Task<T> Post<T>(string path, object body)
    {
        var response = await _client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
