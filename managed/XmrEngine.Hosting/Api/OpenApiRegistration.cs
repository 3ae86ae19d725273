using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace XmrEngine.Hosting.Api;

/// <summary>The OpenAPI document of the API endpoints (Microsoft.AspNetCore.OpenApi), served at <c>/openapi/v1.json</c>.</summary>
internal static class OpenApiRegistration
{
    public const string DocumentName = "v1";
    public const string Route = "/openapi/{documentName}.json";

    public static void AddXmrOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "XmrEngine serving API";
            document.Info.Description = "Extreme multi-label ranking models served over HTTP: XR-Linear prediction, product search, auto-complete, "
                + "the model list and reloads. Errors are RFC 7807 problem details naming the field at fault. With keys configured, send "
                + "X-Api-Key (or a bearer token); 401 means no valid key, 403 a key without the needed role, 429 over the rate limit and "
                + "503 busy (both with Retry-After), 504 over the time limit.";
            return Task.CompletedTask;
        }));
}
