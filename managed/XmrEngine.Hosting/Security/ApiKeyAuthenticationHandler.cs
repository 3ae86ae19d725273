using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XmrEngine.Hosting.Security;

/// <summary>
/// ASP.NET Core authentication from the <c>X-Api-Key</c> header: the key is hashed and compared with every configured
/// hash in constant time (no early exit, so timing tells nothing about which or how much matched). The key itself is
/// never logged nor kept; the caller's name is a prefix of the hash, which rate limiting partitions on.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, XmrEngineOptions engine) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "XmrApiKey";

    /// <summary>Where a rejected key's reason is left for the 401 body (the failure itself goes to the log).</summary>
    public const string FailureItem = "xmr-auth-failure";

    private readonly (string Role, byte[] Hash)[] _keys =
        engine.Security.ApiKeys.Select(k => (k.Role, Convert.FromHexString(k.Sha256))).ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[ServingSecurity.ApiKeyHeader];
        if (values.Count == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (values.Count > 1) return Fail($"give one {ServingSecurity.ApiKeyHeader} header; got {values.Count}.");
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(values[0] ?? ""));
        string? role = null;
        foreach (var (keyRole, keyHash) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash) && role != ApiRoles.Admin) role = keyRole;
        if (role is null) return Fail($"the {ServingSecurity.ApiKeyHeader} key is not one this server accepts.");
        string name = "apikey:" + Convert.ToHexStringLower(hash)[..12];
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason));
    }
}
