using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using XmrEngine.Hosting.Api;
using XmrEngine.Hosting.Blocking;
using XmrEngine.Hosting.Security;
using XmrEngine.Hosting.Traffic;

namespace XmrEngine.Hosting;

/// <summary>Registers XmrEngine's model serving in a service collection.</summary>
public static class XmrEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the models of <paramref name="configure"/>'s options (a models folder and/or models added by name),
    /// loaded in the background when the host starts and hot-swapped when replaced on disk; the
    /// <see cref="ModelRegistry"/> (a singleton) to reach them; health checks; authentication and authorization when keys
    /// or JWT are configured; ASP.NET Core's rate limiter (as the global limiter, limiting only the engine's endpoints) and
    /// request timeouts; the blocklist (<see cref="XmrEngineOptions.BlocklistFile"/>), read here (a missing or malformed file throws) and again whenever it changes; the OpenAPI document; and, unless turned off, OpenTelemetry metrics with a Prometheus exporter. Map the endpoints with <see cref="XmrEngineEndpointRouteBuilderExtensions.MapXmrEngine"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No model is configured, or a name is used twice.</exception>
    /// <exception cref="XmrEngine.IO.XmrDataException">The blocklist file is missing or malformed; the message names it and the line.</exception>
    public static IServiceCollection AddXmrEngine(this IServiceCollection services, Action<XmrEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new XmrEngineOptions();
        configure(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddMetrics();
        services.AddSingleton<XmrEngineMetrics>();
        services.AddSingleton<ModelRegistry>();
        services.AddHostedService<ModelWatcherService>();
        // One instance both answers the endpoints (the list in force) and runs as the service that keeps it current.
        services.AddSingleton(BlocklistMonitor.Read(options));
        services.AddHostedService(provider => provider.GetRequiredService<BlocklistMonitor>());
        services.AddHealthChecks().AddCheck<ModelsReadyHealthCheck>("xmr-models", tags: [XmrEngineEndpointRouteBuilderExtensions.ReadyTag]);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, XmrJson.Context));
        services.AddProblemDetails();
        services.AddXmrSecurity(options.Security);
        services.AddXmrTraffic(options.Traffic);
        if (options.OpenApiDocument) services.AddXmrOpenApi(options);
        if (options.PrometheusMetrics)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                // System.Runtime is the runtime's own meter (GC heap, working set, thread pool): what a soak watches for leaks.
                .AddMeter(XmrEngineMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
                .AddPrometheusExporter());
        }
        return services;
    }
}
