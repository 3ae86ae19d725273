using System.Globalization;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// <c>xmr bench load</c> against a real <c>xmr serve</c> process: every request sent is counted once by its status,
/// reloads go through with the admin key, the server process is sampled, capacity mode reports a rate, and bad
/// arguments are named.
/// </summary>
[NonParallelizable]
public sealed class LoadBenchTests
{
    private const string AdminKey = "load-admin-key-0123456789abcdef";

    [Test]
    public async Task SteadyRateWithReloads_CountsEveryRequest_AndSamplesTheServer()
    {
        using var dir = new TempDir();
        string models = Path.Combine(dir.Path, "models");
        Directory.CreateDirectory(models);
        ModelFolder.CopyTo(models);
        string keys = Path.Combine(dir.Path, "keys.txt");
        File.WriteAllLines(keys, [$"admin {AdminKey}"]);
        string paths = Path.Combine(dir.Path, "paths.txt");
        // Raw requests as a browser sends them, one of them for a model that does not exist (404, counted as other).
        File.WriteAllLines(paths, ["/v1/qac/qac/suggest?prev=red%20shoes&prefix=d&count=10", "/v1/qac/qac/suggest?prefix=b", "/v1/qac/nope/suggest?prefix=b"]);
        using var server = await LiveServer.StartAsync(models, ["--api-keys", keys]);
        string csv = Path.Combine(dir.Path, "load.csv");

        var (exit, output) = XmrCli.Run("bench", "load", "--url", server.Address.ToString(), "--paths", paths, "--rate", "60", "--duration", "4",
            "--window", "1", "--reload-model", "qac", "--reload-every", "1", "--api-key", AdminKey,
            "--server-pid", server.ProcessId.ToString(CultureInfo.InvariantCulture), "--csv", csv);

        Assert.That(exit, Is.EqualTo(0), output);
        var lines = File.ReadAllLines(csv);
        Assert.That(lines[0], Does.StartWith("t_s,sent,ok,"));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        int Column(string name) => Array.IndexOf(lines[0].Split(','), name);
        long Sum(string name) => rows.Sum(r => long.Parse(r[Column(name)], CultureInfo.InvariantCulture));
        Assert.That(Sum("sent"), Is.InRange(200, 260), "60 requests a second for 4 s, on schedule");
        Assert.That(Sum("ok") + Sum("other"), Is.EqualTo(Sum("sent")), "every request is answered 200, or 404 for the missing model");
        Assert.That(Sum("other"), Is.EqualTo(Sum("sent") / 3).Within(1), "one path in three names a missing model");
        Assert.That(Sum("status_429") + Sum("status_503") + Sum("status_504") + Sum("status_5xx_other") + Sum("timeouts"), Is.Zero);
        Assert.That(Sum("reloads_ok"), Is.GreaterThanOrEqualTo(2));
        Assert.That(Sum("reloads_failed"), Is.Zero, "the admin key reloads");
        Assert.That(rows.Select(r => double.Parse(r[Column("rss_mb")], CultureInfo.InvariantCulture)), Is.All.GreaterThan(20), "the server process's RSS");
        Assert.That(rows.Select(r => int.Parse(r[Column("handles")], CultureInfo.InvariantCulture)), Is.All.GreaterThan(10));
        Assert.That(rows.Select(r => double.Parse(r[Column("gc_heap_mb")], CultureInfo.InvariantCulture)), Is.All.GreaterThan(0), "the runtime's meter on /metrics");
        Assert.That(output, Does.Contain("summary: ").And.Contain("200: ").And.Contain("404: "));

        var (capacityExit, capacity) = XmrCli.Run("bench", "load", "--url", server.Address.ToString(), "--paths", paths, "--rate", "0", "--clients", "2", "--duration", "1");
        Assert.That(capacityExit, Is.EqualTo(0), capacity);
        Assert.That(capacity, Does.Match(@"capacity: [1-9]\d* answered req/s with 2 callers"));
    }

    [Test]
    public void BadArguments_AreNamed()
    {
        using var dir = new TempDir();
        string paths = Path.Combine(dir.Path, "paths.txt");
        File.WriteAllLines(paths, ["/v1/models", "v1/models"]);
        var (exit, output) = XmrCli.Run("bench", "load", "--url", "http://127.0.0.1:9", "--paths", paths);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain($"{paths}:2").And.Contain("starts with '/'"));
        (exit, output) = XmrCli.Run("bench", "load", "--url", "http://127.0.0.1:9", "--paths", Path.Combine(dir.Path, "none.txt"));
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("no such file"));
        File.WriteAllLines(paths, ["/v1/models"]);
        (exit, output) = XmrCli.Run("bench", "load", "--url", "http://127.0.0.1:9", "--paths", paths, "--rate", "-1");
        Assert.That(output, Does.Contain("--rate must be 0 or more"));
        (exit, output) = XmrCli.Run("bench", "load", "--url", "localhost:5080", "--paths", paths);
        Assert.That(output, Does.Contain("--url must be an http:// or https:// address"));
        (exit, output) = XmrCli.Run("bench", "load", "--url", "http://127.0.0.1:9", "--paths", paths, "--rate", "0", "--reload-model", "m");
        Assert.That(output, Does.Contain("--reload-model needs a steady --rate"));
    }
}
