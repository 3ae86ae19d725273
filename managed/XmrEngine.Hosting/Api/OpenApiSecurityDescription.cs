using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using XmrEngine.Hosting.Security;

namespace XmrEngine.Hosting.Api;

/// <summary>
/// Tells the OpenAPI document how callers authenticate (the <c>X-Api-Key</c> header, and bearer tokens when JWT is on)
/// and which operations need it, so that generated clients send the key. Nothing is added while no key is configured.
/// </summary>
internal static class OpenApiSecurityDescription
{
    private const string ApiKeyScheme = "ApiKey", BearerScheme = "Bearer";

    public static void Add(OpenApiOptions openApi, ServingSecurity security)
    {
        if (!security.IsEnabled) return;
        openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.AddComponent(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ServingSecurity.ApiKeyHeader,
                Description = $"An API key with the '{ApiRoles.Admin}' or '{ApiRoles.Query}' role (`xmr keys new`).",
            });
            if (security.JwtBearer is not null)
                document.AddComponent(BearerScheme, new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" });
            return Task.CompletedTask;
        });
        openApi.AddOperationTransformer((operation, context, _) =>
        {
            // Only operations behind one of the engine's policies need a key; either scheme satisfies them.
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()) return Task.CompletedTask;
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
            if (security.JwtBearer is not null)
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            return Task.CompletedTask;
        });
    }
}
