using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using XmrEngine.Hosting.Api;

namespace XmrEngine.Hosting;

/// <summary>Maps XmrEngine's HTTP endpoints.</summary>
public static class XmrEngineEndpointRouteBuilderExtensions
{
    internal const string ReadyTag = "xmr-ready";

    /// <summary>
    /// Maps <c>GET /v1/models</c>, <c>POST /v1/models/{name}/reload</c>, every served kind's endpoints
    /// (<see cref="XmrEngineOptions.ModelKinds"/>: <c>POST /v1/xlinear/{name}/predict</c>, <c>GET /v1/products/{name}/search</c>,
    /// <c>GET /v1/qac/{name}/suggest</c>, and those of kinds an application added), <c>/healthz</c>, <c>/readyz</c>, and
    /// (as configured) <c>/metrics</c> and the auto-complete page at <c>/</c>. Call after
    /// <see cref="XmrEngineServiceCollectionExtensions.AddXmrEngine"/>.
    /// </summary>
    /// <returns>The <c>/v1</c> route group, to add authorization, rate limiting or CORS to.</returns>
    public static RouteGroupBuilder MapXmrEngine(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<XmrEngineOptions>()
            ?? throw new InvalidOperationException("MapXmrEngine: call services.AddXmrEngine(...) first.");
        var v1 = endpoints.MapGroup("/v1");
        v1.MapGet("/models", Endpoints.Models);
        v1.MapPost("/models/{name}/reload", Endpoints.Reload);
        foreach (var kind in options.ModelKinds) kind.MapEndpoints(v1);

        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        if (options.PrometheusMetrics) endpoints.MapPrometheusScrapingEndpoint("/metrics");
        if (options.WebPage)
        {
            endpoints.MapGet("/", () => WebPageAssets.Serve("index.html")).ExcludeFromDescription();
            foreach (string file in WebPageAssets.FileNames)
                endpoints.MapGet("/" + file, () => WebPageAssets.Serve(file)).ExcludeFromDescription();
        }
        return v1;
    }
}
