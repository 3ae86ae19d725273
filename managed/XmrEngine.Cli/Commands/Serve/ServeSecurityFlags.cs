using System.CommandLine;
using XmrEngine.Hosting;
using XmrEngine.Hosting.Security;

namespace XmrEngine.Cli.Commands.Serve;

/// <summary><c>xmr serve</c>'s flags for who may call it: a key file, keys for queries too, and JWT bearer tokens.</summary>
internal sealed class ServeSecurityFlags
{
    private readonly Option<string> _apiKeys = new("--api-keys")
    {
        Description = "File of API keys, one 'ROLE KEY' per line (roles: admin, query; KEY may be 'sha256:HEX', the key's hash). "
            + "With any key the reload endpoint needs an admin key in the X-Api-Key header. `xmr keys new` makes keys.",
    };

    private readonly Option<bool> _requireForQueries = new("--require-key-for-queries")
    {
        Description = "The query endpoints (predict, search, suggest, the model list) also need a query or admin key.",
    };

    private readonly Option<string> _jwtAuthority = new("--jwt-authority")
    {
        Description = "Also accept JWT bearer tokens from this OpenID Connect authority (its signing keys are fetched from it); their 'role' claims carry the roles.",
    };

    private readonly Option<string> _jwtAudience = new("--jwt-audience") { Description = "The audience JWT bearer tokens must be for (with --jwt-authority)." };

    public IEnumerable<Option> All => [_apiKeys, _requireForQueries, _jwtAuthority, _jwtAudience];

    /// <summary>The flags' settings, checked now so that a bad key file stops the command before anything listens.</summary>
    public Action<ServingSecurity> Read(ParseResult result)
    {
        string? file = result.GetValue(_apiKeys);
        IReadOnlyList<HashedApiKey> keys = [];
        if (file is not null)
        {
            try
            {
                keys = ApiKeyFile.Read(file);
            }
            catch (Exception e) when (e is FormatException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--api-keys: {e.Message}", e);
            }
            if (keys.Count == 0) throw new ArgumentException($"--api-keys: '{file}' holds no key.");
        }
        string? authority = result.GetValue(_jwtAuthority), audience = result.GetValue(_jwtAudience);
        if (audience is not null && authority is null) throw new ArgumentException("--jwt-audience needs --jwt-authority.");
        if (authority is not null && !Uri.TryCreate(authority, UriKind.Absolute, out _))
            throw new ArgumentException($"--jwt-authority must be an absolute URL; got '{authority}'.");
        bool requireForQueries = result.GetValue(_requireForQueries);
        return security =>
        {
            foreach (var key in keys) security.ApiKeys.Add(key);
            if (authority is not null)
                security.JwtBearer = jwt =>
                {
                    jwt.Authority = authority;
                    if (audience is not null) jwt.Audience = audience;
                };
            if (requireForQueries) security.RequireKeyForQueries = true;
        };
    }
}
