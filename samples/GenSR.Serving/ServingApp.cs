using GenSR.Core;
using GenSR.Hosting;
using GenSR.Unify;

namespace GenSR.Serving;

/// <summary>The service: GenSR from configuration ("GenSR" section), and the endpoints.</summary>
public static class ServingApp
{
    /// <summary>Builds the application; <paramref name="configure"/> may change the builder before it is built (tests set
    /// the URL and the checkpoint).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddGenSR().Bind(builder.Configuration.GetSection("GenSR")).ValidateOnStart();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapOpenApi();
        Map(app);
        return app;
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/health", (GenSRRecommender recommender) =>
                new HealthResponse("ok", recommender.ItemCount, recommender.CheckpointVersion))
            .WithSummary("Liveness and the served catalogue.");

        app.MapPost("/recommend", async (RecommendRequest request, IGenSRRecommender gensr, CancellationToken cancellationToken) =>
                await Answer(() => gensr.RecommendAsync(History(request.History), request.K, Filter(request.ExcludeSeen, request.Allowed, request.Denied), cancellationToken)))
            .WithSummary("The items to show next, best first, by item keys.");

        app.MapPost("/search", async (SearchRequest request, IGenSRRecommender gensr, CancellationToken cancellationToken) =>
                await Answer(() => gensr.SearchAsync(History(request.History), request.Query, request.K, Filter(request.ExcludeSeen, request.Allowed, request.Denied), cancellationToken)))
            .WithSummary("The items for a query, best first, personalised by the history.");

        app.MapPost("/score", async (ScoreRequest request, IGenSRRecommender gensr, CancellationToken cancellationToken) =>
                await Answer(() => gensr.ScoreAsync(History(request.History), request.Query, request.Candidates ?? [], cancellationToken)))
            .WithSummary("Scores of given candidates, best first; unknown keys are left out.");
    }

    private static IReadOnlyList<HistoryEvent> History(IReadOnlyList<EventDto>? history) =>
        history?.Select((e, i) => new HistoryEvent(e?.Item ?? throw new ArgumentException($"History event {i} has no item."), e.Query)).ToArray() ?? [];

    private static ItemFilter Filter(bool excludeSeen, IReadOnlyList<string>? allowed, IReadOnlyList<string>? denied) =>
        new() { ExcludeSeen = excludeSeen, AllowedKeys = allowed, DeniedKeys = denied };

    private static async Task<IResult> Answer(Func<Task<IReadOnlyList<ScoredItem>>> call)
    {
        try
        {
            var items = await call();
            return Results.Ok(new ItemsResponse(items.Select(i => new ItemDto(i.Key, i.Title, i.Score)).ToArray()));
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
    }

    /// <summary>
    /// Trains a small model on the embedded demo dataset and saves it in <paramref name="folder"/> (about a minute on two
    /// cores), unless a checkpoint is already there. For trying the service without a model of your own.
    /// </summary>
    public static void PrepareDemoCheckpoint(string folder, int epochs = 2, int users = 400)
    {
        if (GenSRCheckpoint.Exists(folder)) return;
        TorchRuntime.SetThreads(1);
        var split = LeaveOneOutSplit.Create(DemoDataset.Generate(new DemoDatasetOptions { Users = users, Items = 150, Seed = 7 }));
        var prepared = GenSRPipeline.Prepare(split, new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 64, Layers = 1, PromptHistoryItems = 8, DenseDimension = 32,
        });
        using var model = prepared.Model;
        prepared.NewItems?.Dispose();
        new GenSRTrainer(model, prepared.Builder, prepared.ItemKeys, new GenSRTrainingOptions
        {
            Epochs = epochs, BatchSize = 64, LearningRate = 3e-3, WarmupSteps = 20, ValidationCases = 100,
        }).Train(split);
        GenSRCheckpoint.Save(folder, model, prepared.Builder, prepared.ItemKeys);
    }
}
