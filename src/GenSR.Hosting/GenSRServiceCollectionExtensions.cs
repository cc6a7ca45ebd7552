using GenSR.Core;
using GenSR.Representation;
using GenSR.Unify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenSR.Hosting;

/// <summary>Registers GenSR serving in a service collection.</summary>
public static class GenSRServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons: <see cref="GenSRRecommender"/> loaded from <see cref="GenSRServingOptions.CheckpointPath"/>
    /// at its first use (with torch's thread count set first), <see cref="IGenSRRecommender"/> (a
    /// <see cref="GenSRMicroBatcher"/> over it, or the recommender itself when <see cref="GenSRServingOptions.MicroBatching"/>
    /// is off), and a hosted <see cref="GenSRCheckpointWatcher"/> that reloads the checkpoint when a new version is saved
    /// (when <see cref="GenSRServingOptions.ReloadCheckSeconds"/> is above 0). The options are validated when first read.
    /// A model trained with query vectors needs its query encoder: register it as the container's
    /// <see cref="ISemanticEncoder"/> (only for such a model; the container owns it).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options in code; null to bind them only (through the returned builder).</param>
    /// <returns>The options builder, e.g. to <c>Bind</c> a configuration section or <c>ValidateOnStart</c>.</returns>
    public static OptionsBuilder<GenSRServingOptions> AddGenSR(this IServiceCollection services, Action<GenSRServingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GenSRServingOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(o => o.Problem() is null, "The GenSR serving options are not valid; GenSRServingOptions.Problem() says why.");
        services.TryAddSingleton(provider =>
        {
            var o = provider.GetRequiredService<IOptions<GenSRServingOptions>>().Value;
            if (o.Problem() is { } problem) throw new OptionsValidationException(nameof(GenSRServingOptions), typeof(GenSRServingOptions), [problem]);
            if (o.TorchThreads > 0) TorchRuntime.SetThreads(o.TorchThreads);
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger<GenSRRecommender>();
            return GenSRRecommender.Load(o.CheckpointPath, TorchRuntime.ParseDevice(o.Device), o.ModelBatch,
                queryEncoder: provider.GetService<ISemanticEncoder>(), logger: logger);
        });
        services.TryAddSingleton<IGenSRRecommender>(provider =>
        {
            var o = provider.GetRequiredService<IOptions<GenSRServingOptions>>().Value;
            var recommender = provider.GetRequiredService<GenSRRecommender>();
            if (!o.MicroBatching) return recommender;
            return new GenSRMicroBatcher(recommender, new MicroBatchingOptions
            {
                MaxBatch = o.MicroBatchSize,
                MaxDelay = TimeSpan.FromMilliseconds(o.MicroBatchDelayMilliseconds),
            }, provider.GetService<ILoggerFactory>()?.CreateLogger<GenSRMicroBatcher>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GenSRCheckpointWatcher>());
        return options;
    }
}
