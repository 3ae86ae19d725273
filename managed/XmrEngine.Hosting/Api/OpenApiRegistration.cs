using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// The OpenAPI document of the endpoints (Microsoft.AspNetCore.OpenApi), served at <c>/openapi/v1.json</c>. It is
/// written as OpenAPI 3.0, which every client generator reads. The health and metrics endpoints are plain-text
/// pipelines the framework cannot describe, so they are added by hand.
/// </summary>
internal static class OpenApiRegistration
{
    public const string DocumentName = "v1";
    public const string Route = "/openapi/{documentName}.json";

    public static void AddXmrOpenApi(this IServiceCollection services, XmrEngineOptions options) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            OpenApiSecurityDescription.Add(o, options.Security);
            o.AddSchemaTransformer((schema, _, _) =>
            {
                // The engine's JSON is strict (XmrJsonContext): numbers are numbers. The framework's web defaults would
                // describe them as "number or numeric string", which generated clients turn into odd wrapper types.
                if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
                {
                    schema.Type = type & ~JsonSchemaType.String;
                    schema.Pattern = null;
                }
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "XmrEngine serving API";
                document.Info.Description = "Extreme multi-label ranking models served over HTTP: XR-Linear prediction, product search, "
                    + "auto-complete, the model list and reloads. Errors are RFC 7807 problem details naming the field at fault. With keys "
                    + "configured, send X-Api-Key (or a bearer token); 401 means no valid key, 403 a key without the needed role, 429 over "
                    + "the rate limit and 503 busy (both with Retry-After), 504 over the time limit.";
                document.Paths ??= [];
                document.Paths["/healthz"] = PlainText("Health", "Liveness: 200 while the process serves.", "Healthy");
                document.Paths["/readyz"] = PlainText("Ready", "Readiness: 200 once every model has loaded (or, with ReadinessRule.AnyModel, once one has: \"Degraded\" names the others), 503 before.", "Healthy, or Degraded or Unhealthy with the models not loaded", unavailable: true);
                if (options.PrometheusMetrics)
                    document.Paths["/metrics"] = PlainText("Metrics", "Prometheus scrape endpoint (OpenTelemetry metrics).", "Prometheus text format");
                return Task.CompletedTask;
            });
        });

    private static OpenApiPathItem PlainText(string id, string summary, string body, bool unavailable = false)
    {
        var text = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } };
        var responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = body, Content = text } };
        if (unavailable) responses["503"] = new OpenApiResponse { Description = "Unhealthy", Content = text };
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, new OpenApiOperation { OperationId = id, Summary = summary, Responses = responses });
        return item;
    }
}
