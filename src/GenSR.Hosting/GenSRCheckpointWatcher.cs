using GenSR.Core;
using GenSR.Unify;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenSR.Hosting;

/// <summary>
/// Reloads the served checkpoint when a new version is saved into its folder: every
/// <see cref="GenSRServingOptions.ReloadCheckSeconds"/> it reads the folder's <c>current</c> pointer (which a save replaces
/// in one rename) and, when it names another version, calls <see cref="GenSRRecommender.Reload"/>, which swaps the new
/// model in while calls run. A version that fails to load is logged and skipped; the old model keeps serving. Does nothing
/// when the interval is 0.
/// </summary>
public sealed class GenSRCheckpointWatcher : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly GenSRServingOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the watcher (the host does, through <see cref="GenSRServiceCollectionExtensions.AddGenSR"/>).</summary>
    public GenSRCheckpointWatcher(IServiceProvider services, IOptions<GenSRServingOptions> options, ILogger<GenSRCheckpointWatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Reloads when the pointer names a version other than the one served and not already found broken; true when it
    /// reloaded.</summary>
    internal bool CheckOnce(GenSRRecommender recommender, ref string? failed)
    {
        var pointer = ReadPointer(_options.CheckpointPath);
        if (pointer is null || pointer == recommender.CheckpointVersion || pointer == failed) return false;
        try
        {
            recommender.Reload(_options.CheckpointPath, TorchRuntime.ParseDevice(_options.Device),
                (Representation.ISemanticEncoder?)_services.GetService(typeof(Representation.ISemanticEncoder)));
            _logger.LogInformation("Now serving GenSR checkpoint version {Version} from {Folder}.", recommender.CheckpointVersion, _options.CheckpointPath);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or WeightsMismatchException or UnauthorizedAccessException or ArgumentException)
        {
            _logger.LogError(e, "The new GenSR checkpoint version {Version} in {Folder} could not be loaded; the previous model keeps serving.", pointer,
                _options.CheckpointPath);
            failed = pointer;
            return false;
        }
    }

    private static string? ReadPointer(string folder)
    {
        try
        {
            var path = Path.Combine(folder, Unify.GenSRCheckpoint.CurrentFileName);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ReloadCheckSeconds <= 0) return;
        var recommender = (GenSRRecommender)_services.GetService(typeof(GenSRRecommender))!;
        string? failed = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReloadCheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            CheckOnce(recommender, ref failed);
    }
}
