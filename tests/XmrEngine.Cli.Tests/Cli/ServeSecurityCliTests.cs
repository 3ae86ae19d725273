using System.Security.Cryptography;
using System.Text;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>xmr keys new</c> and the checks <c>xmr serve</c> makes of its security and HTTPS flags before it listens: each
/// mistake is one error line naming the flag (and, for a key file, the file and the line), and no key is echoed.
/// </summary>
public sealed class ServeSecurityCliTests
{
    [TestCase("admin")]
    [TestCase("query")]
    public void KeysNew_PrintsAKeyLineAndItsHashedLine(string role)
    {
        var run = Xmr.Run("keys", "new", "--role", role);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(2), run.ToString());
        string[] keyLine = lines[0].Split(' '), hashLine = lines[1].Split(' ');
        Assert.That(keyLine[0], Is.EqualTo(role));
        Assert.That(keyLine[1], Has.Length.GreaterThanOrEqualTo(40), "32 random bytes");
        Assert.That(hashLine[0], Is.EqualTo(role));
        Assert.That(hashLine[1], Is.EqualTo("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keyLine[1])))));
        Assert.That(Xmr.Run("keys", "new", "--role", role).Out, Does.Not.Contain(keyLine[1]), "every key is new");
    }

    [Test]
    public void KeysNew_AnUnknownRoleIsRefused() => Xmr.AssertUserError(Xmr.Run("keys", "new", "--role", "root"), "--role", "admin", "query");

    [TestCase("admin short", "line 2", "at least 16")]
    [TestCase("root 0123456789abcdef0123", "line 2", "role must be 'admin' or 'query'")]
    [TestCase("admin", "line 2", "expected 'ROLE KEY'")]
    [TestCase("admin a b", "line 2", "expected 'ROLE KEY'")]
    [TestCase("query sha256:abc", "line 2", "64 hex digits")]
    public void Serve_AMalformedKeyFileNamesItsFileAndLine(string line, string where, string problem)
    {
        using var dir = new TempDir();
        string keys = dir.File("keys.txt");
        File.WriteAllLines(keys, ["# keys", line]);
        var run = Xmr.Run("serve", "--models", dir.Path, "--api-keys", keys);
        Xmr.AssertUserError(run, "--api-keys", keys, where, problem);
        Assert.That(run.Err, Does.Not.Contain("0123456789abcdef0123"), "the line's key is not echoed");
    }

    [Test]
    public void Serve_KeyFileErrors()
    {
        using var dir = new TempDir();
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--api-keys", dir.File("none.txt")), "--api-keys", "none.txt");
        File.WriteAllText(dir.File("empty.txt"), "# nothing\n");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--api-keys", dir.File("empty.txt")), "--api-keys", "no key");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--require-key-for-queries"), "RequireKeyForQueries", "no API key");
    }

    [Test]
    public void Serve_HttpsAndTrafficFlagErrors()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("not.pfx"), "not a certificate");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--urls", "https://127.0.0.1:0"), "--certificate");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--certificate", dir.File("not.pfx")), "--certificate", "no https://");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--urls", "https://127.0.0.1:0", "--certificate", dir.File("none.pfx")), "--certificate", "no such file");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--urls", "https://127.0.0.1:0", "--certificate", dir.File("not.pfx")), "--certificate", "cannot read");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--jwt-audience", "xmr"), "--jwt-audience", "--jwt-authority");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--queue", "-1"), "--queue");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--max-concurrent", "0"), "--max-concurrent");
        Xmr.AssertUserError(Xmr.Run("serve", "--models", dir.Path, "--request-timeout", "-2"), "--request-timeout");
    }

    [Test]
    public void Serve_ReadsTheXmrEngineConfigurationSection()
    {
        // Environment variables are one of the configuration's sources (appsettings.json is another): a bad value
        // there is a usage error naming the setting, which shows the section reaches the server's options.
        using var dir = new TempDir();
        var badRole = new Dictionary<string, string?> { ["XmrEngine__Security__ApiKeys__0__Role"] = "root", ["XmrEngine__Security__ApiKeys__0__Sha256"] = new string('a', 64) };
        Xmr.AssertUserError(Xmr.RunWithEnvironment(badRole, "serve", "--models", dir.Path), "ApiKeys[0].Role", "root");
        var badQueue = new Dictionary<string, string?> { ["XmrEngine__Traffic__QueueLimit"] = "-1" };
        Xmr.AssertUserError(Xmr.RunWithEnvironment(badQueue, "serve", "--models", dir.Path), "QueueLimit");
    }
}
