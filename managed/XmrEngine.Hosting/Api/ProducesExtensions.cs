using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace XmrEngine.Hosting.Api;

/// <summary>What the OpenAPI document says of the API endpoints beyond what their handlers' signatures show.</summary>
internal static class ProducesExtensions
{
    /// <summary>400 (bad argument), 401/403 (key or role), 429 (rate), 503 (busy or model not loaded), 504 (timed out).</summary>
    public static RouteHandlerBuilder WithStandardProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    /// <summary>
    /// Query-string parameters the handler reads itself (so that a malformed one is a problem naming it); the document
    /// cannot see them in the handler's signature.
    /// </summary>
    public static RouteHandlerBuilder WithQueryParameters(this RouteHandlerBuilder endpoint, params (string Name, bool Required, string Type)[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, required, type) in parameters)
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Required = required,
                    Schema = new OpenApiSchema { Type = type == "integer" ? JsonSchemaType.Integer : JsonSchemaType.String },
                });
            return Task.CompletedTask;
        });

    /// <summary>
    /// A JSON request body of <typeparamref name="T"/>, for a handler that reads its body itself. Declared on the document
    /// only: <c>Accepts&lt;T&gt;</c> would also make routing refuse another Content-Type with an empty 415, before the
    /// handler's problem naming the header.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancel) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancel).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
