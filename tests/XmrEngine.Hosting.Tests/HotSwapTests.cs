using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.IO;
using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>Models replaced on disk are swapped in; broken replacements are refused and the old version keeps serving.</summary>
public sealed class HotSwapTests
{
    private static readonly object PredictBody = new { rows = new[] { new { indices = new[] { 1, 5, 9 }, values = new[] { 0.5f, 0.5f, 0.7f } } } };

    private static string VersionOf(TestHost host, string name) => host.Registry.Describe(name)!.Version!;

    [Test]
    public async Task AnXmrFileReplacedByRenameIsSwappedInAndAnswers()
    {
        await using var host = await TestHost.StartAsync();
        string before = VersionOf(host, "xr");
        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[0], host.Path("xr.xmr"));
        Assert.That(await TestHost.Eventually(() => VersionOf(host, "xr") != before), "the watcher swapped the new file in");
        var response = await host.Client.PostAsJsonAsync("/v1/xlinear/xr/predict", PredictBody);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("version").GetString(), Is.EqualTo(VersionOf(host, "xr")));
        Assert.That(host.Registry.Describe("xr")!.Reloads, Is.EqualTo(1));
    }

    [Test]
    public async Task ATruncatedReplacementIsRefusedTheOldVersionServesAndTheErrorIsShown()
    {
        await using var host = await TestHost.StartAsync();
        string before = VersionOf(host, "xr");
        var first = await host.Client.PostAsJsonAsync("/v1/xlinear/xr/predict", PredictBody);
        string answer = await first.Content.ReadAsStringAsync();
        ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[0], host.Path("xr.xmr"));
        Assert.That(await TestHost.Eventually(() => host.Registry.Describe("xr")!.LastError is not null), "the failed load is recorded");
        var status = host.Registry.Describe("xr")!;
        Assert.That(status.Version, Is.EqualTo(before));
        Assert.That(status.LastError, Does.Contain("xr.xmr"));
        using (var doc = JsonDocument.Parse(await host.Client.GetStringAsync("/v1/models")))
        {
            var xr = doc.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "xr");
            Assert.That(xr.GetProperty("lastError").GetString(), Does.Contain("xr.xmr"));
            Assert.That(xr.GetProperty("version").GetString(), Is.EqualTo(before));
        }
        var again = await host.Client.PostAsJsonAsync("/v1/xlinear/xr/predict", PredictBody);
        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(answer), "the old version still answers, unchanged");
        var reload = await host.Client.PostAsync("/v1/models/xr/reload", null);
        Assert.That(reload.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "an explicit reload of broken files reports the failure");

        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[1], host.Path("xr.xmr"));
        Assert.That(await TestHost.Eventually(() => VersionOf(host, "xr") != before), "a good file afterwards is swapped in");
        Assert.That(host.Registry.Describe("xr")!.LastError, Is.Null);
    }

    [Test]
    public async Task ASavedAutoCompleteFolderIsSwappedAndABrokenVersionOfItIsNot()
    {
        await using var host = await TestHost.StartAsync();
        string before = VersionOf(host, "qac");
        ModelFolder.OtherQac.Save(host.Path("qac"));
        string saved = Path.GetFileName(VersionedDirectory.Resolve(host.Path("qac"), "qac.json"));
        Assert.That(await TestHost.Eventually(() => VersionOf(host, "qac") == saved), "the new saved version serves");
        Assert.That(saved, Is.Not.EqualTo(before));
        string broken = ModelFolder.PublishBrokenVersion(host.Path("qac"), "qac.json");
        Assert.That(await TestHost.Eventually(() => host.Registry.Describe("qac")!.LastError is not null));
        Assert.That(VersionOf(host, "qac"), Is.EqualTo(saved), $"broken version {broken} never serves");
        var response = await host.Client.GetAsync("/v1/qac/qac/suggest?prev=context1%20alpha1&prefix=b");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ReloadOnRequestWithoutWatchingSwapsOnlyWhenTheFilesChanged()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.WatchForChanges = false;
            o.PollInterval = TimeSpan.Zero;
        });
        string before = VersionOf(host, "xr");
        using (var unchanged = JsonDocument.Parse(await (await host.Client.PostAsync("/v1/models/xr/reload", null)).Content.ReadAsStringAsync()))
            Assert.That(unchanged.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("unchanged"));
        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[0], host.Path("xr.xmr"));
        await Task.Delay(500);
        Assert.That(VersionOf(host, "xr"), Is.EqualTo(before), "nothing watches: no swap by itself");
        var reload = await host.Client.PostAsync("/v1/models/xr/reload", null);
        using var doc = JsonDocument.Parse(await reload.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("swapped"));
        Assert.That(doc.RootElement.GetProperty("model").GetProperty("version").GetString(), Is.Not.EqualTo(before));
    }

    [Test]
    public async Task ALeaseKeepsItsVersionMappedUntilDisposedEvenAfterASwap()
    {
        await using var host = await TestHost.StartAsync(o => o.WatchForChanges = false);
        Assert.That(host.Registry.TryLease("xr", out var lease), Is.True);
        var old = lease!.Model;
        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[0], host.Path("xr.xmr"));
        Assert.That(await host.Registry.ReloadAsync("xr"), Is.EqualTo(ReloadOutcome.Swapped));
        Assert.That(old.IsDisposed, Is.False, "a request still holds it");
        Assert.That(((XLinearServingModel)old.Instance).Predict([1, 5, 9], [0.5f, 0.5f, 0.7f]), Is.Not.Empty, "and can still predict from its mapping");
        Assert.That(host.Registry.TryLease("xr", out var fresh), Is.True);
        using (fresh) Assert.That(fresh!.Model.Version, Is.Not.EqualTo(old.Version));
        lease.Dispose();
        Assert.That(old.IsDisposed, Is.True, "the last lease of a retired version disposes it");
        Assert.That(() => ((XLinearServingModel)old.Instance).Predict([1], [1f]), Throws.InstanceOf<ObjectDisposedException>());
        lease.Dispose(); // twice is harmless
    }

    [Test]
    public async Task AModelAddedToTheFolderLaterIsServedAndDotEntriesAreIgnored()
    {
        await using var host = await TestHost.StartAsync();
        File.Copy(ModelFolder.XLinearVersions[0], host.Path(".hidden.xmr"));
        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[1], host.Path("late.xmr"));
        Assert.That(await TestHost.Eventually(() => host.Registry.Describe("late")?.Loaded == true));
        Assert.That(host.Registry.Names, Does.Not.Contain(".hidden").And.Not.Contain("hidden"));
    }

    [Test]
    public async Task ReadinessFailsWhileAModelHasNoLoadedVersion()
    {
        await using var host = await TestHost.StartAsync(withModels: false,
            prepare: dir => ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[0], Path.Combine(dir, "broken.xmr")));
        Assert.That((await host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ready = await host.Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var predict = await host.Client.PostAsJsonAsync("/v1/xlinear/broken/predict", PredictBody);
        Assert.That(predict.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await predict.Content.ReadAsStringAsync(), Does.Contain("broken.xmr"));
        ModelFolder.ReplaceByRename(ModelFolder.XLinearVersions[0], host.Path("broken.xmr"));
        Assert.That(await TestHost.Eventually(() => host.Registry.AllLoaded));
        Assert.That((await host.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(ReadinessRule.AllModels, HttpStatusCode.ServiceUnavailable, "Unhealthy: Not loaded: broken.")]
    [TestCase(ReadinessRule.AnyModel, HttpStatusCode.OK, "Degraded: Not loaded: broken.")]
    public async Task OneBrokenModelBesideGoodOnes_HoldsReadinessOrOnlyMarksItself(ReadinessRule rule, HttpStatusCode expected, string body)
    {
        await using var host = await TestHost.StartAsync(o => o.Readiness = rule,
            prepare: dir => ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[0], Path.Combine(dir, "broken.xmr")));
        var ready = await host.Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(expected));
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo(body));
        // Either way the broken model answers 503 itself and the others answer.
        Assert.That((await host.Client.PostAsJsonAsync("/v1/xlinear/broken/predict", PredictBody)).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await host.Client.GetAsync("/v1/models")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnyModel_IsStillNotReadyWhenNoModelServes()
    {
        await using var host = await TestHost.StartAsync(o => o.Readiness = ReadinessRule.AnyModel, withModels: false,
            prepare: dir => ModelFolder.ReplaceByTruncatedCopy(ModelFolder.XLinearVersions[0], Path.Combine(dir, "broken.xmr")));
        Assert.That((await host.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
