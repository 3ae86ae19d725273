using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using XmrEngine.Hosting.Security;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// API keys and JWT bearer tokens through a real Kestrel server: the reload endpoint needs the admin role once any key
/// is configured, the query endpoints need a key only when asked to; missing and unknown keys are 401, a key without
/// the role 403, both with problem-details bodies; and no key ever reaches the log.
/// </summary>
public sealed class AuthenticationTests
{
    private const string AdminKey = "admin-key-0123456789abcdefXYZ", QueryKey = "query-key-0123456789abcdefXYZ", WrongKey = "wrong-key-0123456789abcdefXYZ";
    private const string Reload = "/v1/models/xr/reload", Suggest = "/v1/qac/qac/suggest?prefix=d", Models = "/v1/models";

    [Test]
    public async Task AdminEndpoint_NeedsAnAdminKey_QueriesStayOpenByDefault()
    {
        var logs = new CapturedLogs();
        await using var host = await TestHost.StartAsync(o => o.Security.AddApiKey(ApiRoles.Admin, AdminKey).AddApiKey(ApiRoles.Query, QueryKey),
            kestrel: true, logs: logs);

        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, null), HttpStatusCode.Unauthorized, "X-Api-Key");
        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, WrongKey), HttpStatusCode.Unauthorized, "not one this server accepts");
        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, QueryKey), HttpStatusCode.Forbidden, "'admin' role");
        Assert.That((await Send(host, HttpMethod.Post, Reload, AdminKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Queries need no key unless asked to; a key (even a wrong one) is not required there.
        Assert.That((await Send(host, HttpMethod.Get, Suggest, null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Send(host, HttpMethod.Get, Models, null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        AssertNoKeyLogged(logs);
    }

    [Test]
    public async Task RequireKeyForQueries_QueryEndpointsNeedAQueryOrAdminKey()
    {
        var logs = new CapturedLogs();
        await using var host = await TestHost.StartAsync(o =>
        {
            o.Security.AddApiKey(ApiRoles.Admin, AdminKey).AddApiKey(ApiRoles.Query, QueryKey);
            o.Security.RequireKeyForQueries = true;
        }, kestrel: true, logs: logs);

        foreach (string path in new[] { Suggest, Models })
        {
            await ExpectProblem(await Send(host, HttpMethod.Get, path, null), HttpStatusCode.Unauthorized, "X-Api-Key");
            await ExpectProblem(await Send(host, HttpMethod.Get, path, WrongKey), HttpStatusCode.Unauthorized, "not one this server accepts");
            Assert.That((await Send(host, HttpMethod.Get, path, QueryKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That((await Send(host, HttpMethod.Get, path, AdminKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, QueryKey), HttpStatusCode.Forbidden, "'admin' role");
        Assert.That((await host.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "health checks stay open");

        AssertNoKeyLogged(logs);
    }

    [Test]
    public async Task KeysFromConfiguration_AreHashes_AndAHashIsNotAKey()
    {
        string hash = HashedApiKey.HashOf(AdminKey);
        await using var host = await TestHost.StartAsync(o => o.Security.ApiKeys.Add(new HashedApiKey { Role = ApiRoles.Admin, Sha256 = hash.ToUpperInvariant() }),
            kestrel: true);
        Assert.That((await Send(host, HttpMethod.Post, Reload, AdminKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, hash), HttpStatusCode.Unauthorized, "not one this server accepts");
    }

    [Test]
    public async Task JwtBearer_CarriesTheSameRoles()
    {
        var signing = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a test signing key of at least 256 bits, 32+ bytes"));
        await using var host = await TestHost.StartAsync(o => o.Security.JwtBearer = jwt =>
        {
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "test-issuer",
                ValidAudience = "xmr",
                IssuerSigningKey = signing,
            };
        }, kestrel: true);

        string Token(string role, SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "test-issuer",
            Audience = "xmr",
            Subject = new ClaimsIdentity([new Claim("sub", "someone"), new Claim("role", role)]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

        async Task<HttpResponseMessage> WithToken(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Reload);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await host.Client.SendAsync(request);
        }

        Assert.That((await WithToken(Token(ApiRoles.Admin, signing))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ExpectProblem(await WithToken(Token(ApiRoles.Query, signing)), HttpStatusCode.Forbidden, "'admin' role");
        var forged = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another key of at least 256 bits, that is 32+ bytes"));
        await ExpectProblem(await WithToken(Token(ApiRoles.Admin, forged)), HttpStatusCode.Unauthorized, "bearer token");
        await ExpectProblem(await Send(host, HttpMethod.Post, Reload, null), HttpStatusCode.Unauthorized, "bearer token");
    }

    [Test]
    public void MisconfiguredSecurity_FailsAtStartWithTheField()
    {
        Assert.That(() => TestHost.StartAsync(o => o.Security.ApiKeys.Add(new HashedApiKey { Role = "root", Sha256 = new string('a', 64) })),
            Throws.InvalidOperationException.With.Message.Contain("ApiKeys[0].Role"));
        Assert.That(() => TestHost.StartAsync(o => o.Security.ApiKeys.Add(new HashedApiKey { Role = ApiRoles.Query, Sha256 = "abc" })),
            Throws.InvalidOperationException.With.Message.Contain("ApiKeys[0].Sha256"));
        Assert.That(() => TestHost.StartAsync(o => o.Security.RequireKeyForQueries = true),
            Throws.InvalidOperationException.With.Message.Contain("no API key"));
    }

    internal static async Task<HttpResponseMessage> Send(TestHost host, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add(ServingSecurity.ApiKeyHeader, key);
        return await host.Client.SendAsync(request);
    }

    internal static async Task ExpectProblem(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        using var doc = JsonDocument.Parse(body);
        Assert.That(doc.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
        Assert.That(doc.RootElement.GetProperty("detail").GetString(), Does.Contain(detailPart));
    }

    private static void AssertNoKeyLogged(CapturedLogs logs)
    {
        string text = logs.Text;
        // The capture works: the rejected keys were logged as failures (by the scheme's name, without the key).
        Assert.That(text, Does.Contain("XmrApiKey was not authenticated"), "the log capture saw the authentication failures");
        foreach (string key in new[] { AdminKey, QueryKey, WrongKey })
            Assert.That(text, Does.Not.Contain(key), $"a key reached the log");
    }
}
