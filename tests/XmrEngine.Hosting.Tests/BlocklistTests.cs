using System.Text.Json;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.IO;
using XmrEngine.Tests.Support;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// The blocklist through real Kestrel: blocked suggestions and products are left out before the list is cut (the answer
/// is the model's own longer list without them), matched as whole words ignoring case; the file is read again when it
/// is rewritten, a bad rewrite keeps the previous list with a warning, and a missing or malformed file stops the start.
/// </summary>
public sealed class BlocklistTests
{
    private const string Previous = "context3 alpha3", Prefix = "dtarg";

    [Test]
    public async Task RewritingTheFileChangesTheAnswersWhichStillFillTheListFromTheModelsLongerOne()
    {
        var logs = new CapturedLogs();
        await using var host = await TestHost.StartAsync(o => o.BlocklistFile = Path.Combine(o.ModelsDirectory!, "blocked.txt"), kestrel: true, logs: logs,
            prepare: dir => File.WriteAllText(Path.Combine(dir, "blocked.txt"), "# nothing blocked yet\n"));
        string file = host.Path("blocked.txt");
        using var qac = QacModel.Load(host.Path("qac"));
        var model = qac.Suggest(Previous, Prefix, 30).Select(s => s.Query).ToList();
        Assert.That(await Suggestions(host, 5), Is.EqualTo(model.Take(5)), "an empty list blocks nothing");
        Assert.That(model, Does.Contain("dtarget 3").And.Contain("dtarget 31"), "the synthetic log's labels these checks rely on");

        // "3" is a whole word of "dtarget 3" only; "DTARGET 11" is a phrase in another case; "zz 19" appears nowhere.
        await Rewrite(file, "# the first list\n3\nDTARGET 11\n\nzz 19\n");
        var expected = model.Where(q => q != "dtarget 3" && q != "dtarget 11").Take(5).ToList();
        Assert.That(await Until(host, 5, expected), Is.EqualTo(expected), "the rewritten list is in force");
        Assert.That(expected, Does.Contain("dtarget 31"), "a blocked word does not block a longer word");
        Assert.That(expected, Has.Count.EqualTo(5), "the list still fills to the count asked for");

        // A bad rewrite keeps the previous list and says why in the log, naming the file and line.
        await Rewrite(file, "3\n***\n");
        Assert.That(await TestHost.Eventually(() => logs.Text.Contains("Blocklist not changed", StringComparison.Ordinal)), Is.True, logs.Text);
        Assert.That(logs.Text, Does.Contain(file).And.Contain("line 2"));
        Assert.That(await Suggestions(host, 5), Is.EqualTo(expected), "the previous list stays in force");

        // A good rewrite after it is taken again.
        await Rewrite(file, "dtarget\n");
        var none = model.Where(q => !q.StartsWith("dtarget", StringComparison.Ordinal)).Take(5).ToList();
        Assert.That(await Until(host, 5, none), Is.EqualTo(none));
    }

    [Test]
    public async Task BlockedProductsAreLeftOutAndTheResultsStillFill()
    {
        var catalog = ModelFolder.Catalog;
        string query = catalog.CategoryWords[2];
        await using var host = await TestHost.StartAsync(o => o.BlocklistFile = Path.Combine(o.ModelsDirectory!, "blocked.txt"), kestrel: true,
            prepare: dir => File.WriteAllText(Path.Combine(dir, "blocked.txt"), "# none\n"));
        using var shop = ProductRetrievalModel.Load(host.Path("shop"));
        var all = shop.Predict(query, shop.LabelCount).Select(m => m.Text).ToList();
        Assert.That(await Products(host, query, 5), Is.EqualTo(all.Take(5)));
        // Block the brand of the first two results, in upper case: every product of that brand goes.
        string brand = all[0].Split(' ')[1];
        await Rewrite(host.Path("blocked.txt"), brand.ToUpperInvariant() + "\n");
        var expected = all.Where(t => t.Split(' ')[1] != brand).Take(5).ToList();
        Assert.That(expected, Has.Count.EqualTo(5));
        Assert.That(await Eventually(async () => await Products(host, query, 5), expected), Is.EqualTo(expected));
    }

    [Test]
    public void AMissingOrMalformedFileStopsTheStartNamingIt()
    {
        var missing = Assert.ThrowsAsync<XmrDataException>(() => TestHost.StartAsync(o => o.BlocklistFile = "/nonexistent/blocked.txt"))!;
        Assert.That(missing.Message, Does.Contain("/nonexistent/blocked.txt").And.Contain("no such file"));
        using var dir = new TempDir();
        string bad = Path.Combine(dir.Path, "blocked.txt");
        File.WriteAllText(bad, "# fine\nadult\n  --  \n");
        var malformed = Assert.ThrowsAsync<XmrDataException>(() => TestHost.StartAsync(o => o.BlocklistFile = bad))!;
        Assert.That(malformed.Message, Does.Contain(bad).And.Contain("line 3").And.Contain("no letter or digit"));
        File.WriteAllBytes(bad, [0x61, 0x0a, 0xff, 0xfe, 0x0a]);
        var binary = Assert.ThrowsAsync<XmrDataException>(() => TestHost.StartAsync(o => o.BlocklistFile = bad))!;
        Assert.That(binary.Message, Does.Contain(bad).And.Contain("UTF-8"));
    }

    [Test]
    public async Task XmrServeTakesTheBlocklistFlag()
    {
        using var dir = new TempDir();
        ModelFolder.CopyTo(dir.Path);
        string file = Path.Combine(dir.Path, "blocked.txt");
        await File.WriteAllTextAsync(file, "dtarget 3\n");
        using var server = await LiveServer.StartAsync(dir.Path, ["--blocklist", file]);
        using var api = new HttpClient { BaseAddress = server.Address };
        using var doc = JsonDocument.Parse(await api.GetStringAsync($"/v1/qac/qac/suggest?prev={Uri.EscapeDataString(Previous)}&prefix={Prefix}&count=10"));
        var texts = doc.RootElement.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("text").GetString()).ToList();
        using var qac = QacModel.Load(Path.Combine(dir.Path, "qac"));
        var expected = qac.Suggest(Previous, Prefix, 30).Select(s => s.Query).Where(q => q != "dtarget 3").Take(10).ToList();
        Assert.That(texts, Is.EqualTo(expected).And.Contain("dtarget 31"));
        Assert.That(server.Terminate(), Is.EqualTo(0), server.Errors);

        var (exit, output) = XmrCli.Run("serve", "--models", dir.Path, "--blocklist", Path.Combine(dir.Path, "missing.txt"));
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("--blocklist").And.Contain("missing.txt"));
        await File.WriteAllTextAsync(file, "fine\n***\n");
        (exit, output) = XmrCli.Run("serve", "--models", dir.Path, "--blocklist", file, "--urls", "http://127.0.0.1:0");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("error:").And.Contain(file).And.Contain("line 2").And.Not.Contain("   at "));
    }

    /// <summary>Replaces the file's content as an editor would, by writing a temporary and renaming it over the file.</summary>
    private static async Task Rewrite(string file, string text)
    {
        string temp = file + ".tmp";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, file, overwrite: true);
    }

    private static async Task<List<string>> Suggestions(TestHost host, int count)
    {
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync(
            $"/v1/qac/qac/suggest?prev={Uri.EscapeDataString(Previous)}&prefix={Prefix}&count={count}"));
        return doc.RootElement.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToList();
    }

    private static async Task<List<string>> Products(TestHost host, string q, int topK)
    {
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync($"/v1/products/shop/search?q={Uri.EscapeDataString(q)}&topK={topK}"));
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToList();
    }

    private static Task<List<string>> Until(TestHost host, int count, List<string> expected) => Eventually(() => Suggestions(host, count), expected);

    /// <summary>The answer once it equals <paramref name="expected"/>, or the last one after 15 s.</summary>
    private static async Task<List<string>> Eventually(Func<Task<List<string>>> answer, List<string> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var last = await answer();
        while (!last.SequenceEqual(expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            last = await answer();
        }
        return last;
    }
}
