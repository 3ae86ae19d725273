using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XmrEngine.Hosting.Api;
using XmrEngine.Hosting.Security;
using XmrEngine.Hosting.Traffic;

namespace XmrEngine.Hosting;

/// <summary>Maps XmrEngine's HTTP endpoints.</summary>
public static class XmrEngineEndpointRouteBuilderExtensions
{
    internal const string ReadyTag = "xmr-ready";

    /// <summary>
    /// Maps <c>GET /v1/models</c>, <c>POST /v1/models/{name}/reload</c>, every served kind's endpoints
    /// (<see cref="XmrEngineOptions.ModelKinds"/>: <c>POST /v1/xlinear/{name}/predict</c>, <c>GET /v1/products/{name}/search</c>,
    /// <c>GET /v1/qac/{name}/suggest</c>, and those of kinds an application added), <c>/healthz</c>, <c>/readyz</c>, and
    /// (as configured) <c>/metrics</c>, <c>/openapi/v1.json</c> and the web page at <c>/</c>. Call after
    /// <see cref="XmrEngineServiceCollectionExtensions.AddXmrEngine"/>. The reload endpoint needs the admin role once
    /// any key or JWT is configured (<see cref="XmrEngineOptions.Security"/>), the query endpoints the query role when
    /// asked to. When <paramref name="endpoints"/> is the application (a <see cref="WebApplication"/>), this also adds
    /// the middleware the endpoints rely on, in this order: problem-details bodies for empty error answers of the
    /// <c>/v1</c> endpoints (405 and the like), the rate limiter, and request timeouts; an application with a
    /// hand-built pipeline adds <c>UseRateLimiter()</c> and <c>UseRequestTimeouts()</c> after authorization itself.
    /// </summary>
    /// <returns>The <c>/v1</c> route group, to add CORS or other conventions to.</returns>
    public static RouteGroupBuilder MapXmrEngine(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<XmrEngineOptions>()
            ?? throw new InvalidOperationException("MapXmrEngine: call services.AddXmrEngine(...) first.");
        if (endpoints is IApplicationBuilder app)
        {
            app.UseStatusCodePages(ProblemStatusCodePages.WriteAsync);
            app.UseRateLimiter();
            app.UseRequestTimeouts();
        }
        var v1 = endpoints.MapGroup("/v1").WithMetadata(XmrEndpointMetadata.Instance);
        if (TrafficRegistration.TimeoutPolicy(options.Traffic) is { } timeout) v1.WithRequestTimeout(timeout);
        // Two groups under the same prefix: one for what only reads, one for what changes the server.
        var queries = v1.MapGroup("");
        var admin = v1.MapGroup("");
        if (options.Security.IsEnabled)
        {
            admin.RequireAuthorization(SecurityRegistration.AdminPolicy);
            if (options.Security.RequireKeyForQueries) queries.RequireAuthorization(SecurityRegistration.QueryPolicy);
        }
        queries.MapGet("/models", Endpoints.Models).WithName("ListModels").WithSummary("The served models and their state.")
            .Produces<ModelsResponse>().WithStandardProblems();
        admin.MapPost("/models/{name}/reload", Endpoints.Reload).WithName("ReloadModel")
            .WithSummary("Reloads a model from its files now (admin role once keys are configured).")
            .Produces<ReloadResponse>().Produces<ReloadResponse>(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).WithStandardProblems();
        foreach (var kind in options.ModelKinds) kind.MapEndpoints(queries);

        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadiness });
        if (options.PrometheusMetrics) endpoints.MapPrometheusScrapingEndpoint("/metrics");
        if (options.OpenApiDocument) endpoints.MapOpenApi(OpenApiRegistration.Route);
        if (options.WebPage)
        {
            endpoints.MapGet("/", () => WebPageAssets.Serve("index.html")).ExcludeFromDescription();
            foreach (string file in WebPageAssets.FileNames)
                endpoints.MapGet("/" + file, () => WebPageAssets.Serve(file)).ExcludeFromDescription();
        }
        return v1;
    }

    /// <summary>"Healthy", or the status with the models that have no loaded version ("Degraded: Not loaded: a, b.").</summary>
    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        string text = report.Status == HealthStatus.Healthy
            ? report.Status.ToString()
            : $"{report.Status}: {string.Join(" ", report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d)))}";
        return context.Response.WriteAsync(text);
    }
}
