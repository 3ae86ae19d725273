using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace XmrEngine.Hosting.Security;

/// <summary>
/// Who may call the service. With no key and no JWT configured every endpoint is open (for loopback and trusted
/// networks). Once any is configured, the endpoints that change the server (reloads) need the <see cref="ApiRoles.Admin"/>
/// role, and the query endpoints need <see cref="ApiRoles.Query"/> or admin when <see cref="RequireKeyForQueries"/> is set.
/// Health checks, metrics and the web page's files stay open.
/// </summary>
public sealed class ServingSecurity
{
    /// <summary>The header that carries an API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>
    /// The accepted API keys, hashed (bindable from configuration). A request's <c>X-Api-Key</c> is hashed and compared
    /// with each in constant time.
    /// </summary>
    public IList<HashedApiKey> ApiKeys { get; } = new List<HashedApiKey>();

    /// <summary>The query endpoints also need a key (or token) with the query or admin role [false].</summary>
    public bool RequireKeyForQueries { get; set; }

    /// <summary>
    /// When set, a JWT bearer token (<c>Authorization: Bearer ...</c>) is also accepted, validated as this configures it
    /// (issuer, audience, signing keys or authority); its <c>role</c> claims carry the same role names. Null for keys only.
    /// </summary>
    public Action<JwtBearerOptions>? JwtBearer { get; set; }

    /// <summary>Accepts <paramref name="key"/> with <paramref name="role"/>; only its hash is kept.</summary>
    /// <exception cref="ArgumentException">An unknown role, or a key shorter than 16 characters.</exception>
    public ServingSecurity AddApiKey(string role, string key)
    {
        ApiKeys.Add(HashedApiKey.FromKey(role, key));
        return this;
    }

    /// <summary>True when any key or JWT is configured, so the admin endpoints are closed to anonymous callers.</summary>
    public bool IsEnabled => ApiKeys.Count > 0 || JwtBearer is not null;

    internal void Validate()
    {
        if (RequireKeyForQueries && !IsEnabled)
            throw new InvalidOperationException("AddXmrEngine: Security.RequireKeyForQueries is set but no API key or JWT bearer is configured.");
        for (int i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            if (!ApiRoles.IsKnown(key.Role))
                throw new InvalidOperationException($"AddXmrEngine: Security.ApiKeys[{i}].Role must be '{ApiRoles.Admin}' or '{ApiRoles.Query}'; got '{key.Role}'.");
            if (!ApiKeyFile.IsSha256Hex(key.Sha256))
                throw new InvalidOperationException($"AddXmrEngine: Security.ApiKeys[{i}].Sha256 must be 64 hex digits (the SHA-256 of the key; `xmr keys new` prints it).");
        }
    }
}
