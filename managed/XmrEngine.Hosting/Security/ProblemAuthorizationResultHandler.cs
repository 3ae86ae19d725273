using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace XmrEngine.Hosting.Security;

/// <summary>
/// Gives the engine's 401 and 403 answers a problem-details body saying what is missing (the schemes' own challenge
/// and forbid write only a status and a <c>WWW-Authenticate</c> header). Other endpoints of the application are
/// answered exactly as the default handler does.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (context.Response.HasStarted || context.GetEndpoint()?.Metadata.GetMetadata<XmrEndpointMetadata>() is null) return;
        if (authorizeResult.Challenged)
        {
            string detail = context.Items[ApiKeyAuthenticationHandler.FailureItem] as string
                ?? $"this endpoint needs an API key in the {ServingSecurity.ApiKeyHeader} header{(policy.AuthenticationSchemes.Contains(SecurityRegistration.CombinedScheme) ? " or a bearer token" : "")}.";
            await Write(context, StatusCodes.Status401Unauthorized, "Authentication required", detail).ConfigureAwait(false);
        }
        else if (authorizeResult.Forbidden)
        {
            string needed = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                .SelectMany(r => r.AllowedRoles).Contains(ApiRoles.Query) ? $"'{ApiRoles.Query}' or '{ApiRoles.Admin}'" : $"'{ApiRoles.Admin}'";
            await Write(context, StatusCodes.Status403Forbidden, "Forbidden", $"this endpoint needs the {needed} role; the caller's key or token does not have it.").ConfigureAwait(false);
        }
    }

    private async Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
