using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace XmrEngine.Hosting.Security;

/// <summary>Registers ASP.NET Core authentication and authorization for <see cref="ServingSecurity"/>.</summary>
internal static class SecurityRegistration
{
    public const string AdminPolicy = "xmr-admin", QueryPolicy = "xmr-query";
    public const string CombinedScheme = "XmrEngine";
    private const string JwtScheme = "XmrJwt";

    public static void AddXmrSecurity(this IServiceCollection services, ServingSecurity security)
    {
        if (!security.IsEnabled) return;
        var authentication = services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        string scheme = ApiKeyAuthenticationHandler.SchemeName;
        if (security.JwtBearer is { } configureJwt)
        {
            authentication.AddJwtBearer(JwtScheme, configureJwt);
            // One scheme for the policies: a request with an API key is judged by it, one with a bearer token by the JWT handler.
            authentication.AddPolicyScheme(CombinedScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ServingSecurity.ApiKeyHeader) ? ApiKeyAuthenticationHandler.SchemeName
                : context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? JwtScheme
                : ApiKeyAuthenticationHandler.SchemeName);
            scheme = CombinedScheme;
        }
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Admin))
            .AddPolicy(QueryPolicy, p => p.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser().RequireRole(ApiRoles.Query, ApiRoles.Admin));
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>());
    }
}
