using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmrEngine.Hosting.Security;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// <c>xmr serve</c> as a user runs it (a real process): a key file protects reloads and, when asked, queries; keys
/// appear in none of its output; HTTPS from a PFX offers HTTP/2; and listening beyond loopback without a key warns.
/// </summary>
[NonParallelizable]
public sealed class ServeCommandSecurityTests
{
    private const string AdminKey = "live-admin-key-0123456789abcdef", QueryKey = "live-query-key-0123456789abcdef";

    [Test]
    public async Task KeyFile_ProtectsReloads_AndQueriesWhenAsked_AndNoKeyIsPrinted()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        string keys = Path.Combine(dir.Path, ".keys");
        // The query key is given as its hash: the file need not hold the key.
        File.WriteAllLines(keys, ["# the server's keys", $"admin {AdminKey}", "", $"query sha256:{HashedApiKey.HashOf(QueryKey)}"]);

        using var server = await LiveServer.StartAsync(dir.Path, ["--api-keys", keys, "--require-key-for-queries"]);
        using var http = new HttpClient { BaseAddress = server.Address };
        async Task<HttpStatusCode> Status(HttpMethod method, string path, string? key)
        {
            using var request = new HttpRequestMessage(method, path);
            if (key is not null) request.Headers.Add(ServingSecurity.ApiKeyHeader, key);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.That(await Status(HttpMethod.Post, "/v1/models/xr/reload", null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Status(HttpMethod.Post, "/v1/models/xr/reload", "not-a-key-0123456789abcdef"), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Status(HttpMethod.Post, "/v1/models/xr/reload", QueryKey), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Status(HttpMethod.Post, "/v1/models/xr/reload", AdminKey), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status(HttpMethod.Get, "/v1/qac/qac/suggest?prefix=d", null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Status(HttpMethod.Get, "/v1/qac/qac/suggest?prefix=d", QueryKey), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(server.Terminate(), Is.EqualTo(0));
        string printed = server.Output + server.Errors;
        Assert.That(printed, Does.Contain("serving on"), "the output was captured");
        Assert.That(printed, Does.Not.Contain(AdminKey).And.Not.Contain(QueryKey));
        Assert.That(printed, Does.Not.Contain("warning:").And.Not.Contain("warn:"), "loopback with keys: nothing to warn about (nor from Kestrel)");
    }

    [Test]
    public async Task ReadyWhenAny_AnswersReadyBesideABrokenModel_AndNamesIt()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[0], Path.Combine(dir.Path, "broken.xmr"));
        // The live server waits for /readyz to answer 200: with one model broken that happens only under --ready-when any.
        using var server = await LiveServer.StartAsync(dir.Path, ["--ready-when", "any"]);
        using var http = new HttpClient { BaseAddress = server.Address };
        // Ready as soon as one model serves: the others may still be loading, so wait until only the broken one is named.
        string body = "";
        for (int attempt = 0; attempt < 600 && body != "Degraded: Not loaded: broken."; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            var ready = await http.GetAsync("/readyz");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "ready from the first model on");
            body = await ready.Content.ReadAsStringAsync();
            Assert.That(body, Does.StartWith("Degraded: Not loaded: ").And.Contain("broken"));
        }
        Assert.That(body, Is.EqualTo("Degraded: Not loaded: broken."));
        Assert.That(server.Terminate(), Is.EqualTo(0), server.Errors);
    }

    [Test]
    public async Task Certificate_ServesHttpsWithHttp2()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string pfx = Path.Combine(dir.Path, ".server.pfx"), passwordFile = Path.Combine(dir.Path, ".password");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        File.WriteAllText(passwordFile, "s3cret\n");

        using var server = await LiveServer.StartAsync(dir.Path, ["--certificate", pfx, "--certificate-password-file", passwordFile], https: true);
        string thumbprint = certificate.Thumbprint;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 c && c.Thumbprint == thumbprint;
        using var http = new HttpClient(handler)
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var response = await http.GetAsync("/v1/models");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20), "HTTP/2 over TLS");
        Assert.That(server.Address.Scheme, Is.EqualTo("https"));
    }

    [Test]
    public async Task ListeningBeyondLoopbackWithoutAKey_Warns()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        using var server = await LiveServer.StartAsync(dir.Path, [], host: "0.0.0.0");
        Assert.That(await TestHost.Eventually(() => server.Output.Contains("serving on")), Is.True, server.Output);
        Assert.That(server.Errors, Does.Contain("warning:").And.Contain("no API key is configured").And.Contain("0.0.0.0"));
    }
}
