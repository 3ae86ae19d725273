using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.Apps.AutoComplete;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Persistence;

using XmrEngine.Serving;

namespace XmrEngine.Hosting.Tests;

/// <summary>Every endpoint answers what the same call made in-process answers.</summary>
public sealed class EndpointTests
{
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await TestHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task ModelsListsEveryModelWithKindVersionAndLabelCount()
    {
        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models"));
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.That(models.Keys, Is.EquivalentTo(new[] { "qac", "shop", "xr" }));
        Assert.Multiple(() =>
        {
            Assert.That(models["xr"].GetProperty("kind").GetString(), Is.EqualTo("xlinear"));
            Assert.That(models["qac"].GetProperty("kind").GetString(), Is.EqualTo("qac"));
            Assert.That(models["shop"].GetProperty("kind").GetString(), Is.EqualTo("products"));
            foreach (var m in models.Values)
            {
                Assert.That(m.GetProperty("loaded").GetBoolean(), Is.True);
                Assert.That(m.GetProperty("version").GetString(), Is.Not.Empty);
                Assert.That(m.GetProperty("labelCount").GetInt32(), Is.GreaterThan(0));
                Assert.That(m.GetProperty("lastError").ValueKind, Is.EqualTo(JsonValueKind.Null));
                Assert.That(m.GetProperty("loadedAt").GetDateTimeOffset(), Is.LessThanOrEqualTo(DateTimeOffset.UtcNow));
            }
            Assert.That(models["xr"].GetProperty("labelCount").GetInt32(), Is.EqualTo(60));
            Assert.That(models["shop"].GetProperty("labelCount").GetInt32(), Is.EqualTo(ModelFolder.Catalog.Items.Length));
            Assert.That(models["xr"].GetProperty("version").GetString(), Does.StartWith("xxh64:"));
            Assert.That(models["qac"].GetProperty("version").GetString(), Does.StartWith("v-"));
        });
    }

    [Test]
    public async Task XLinearPredictEqualsTheInProcessPredictor()
    {
        // The library's front door over the same file: raw rows in, prepared by the model's rule on both sides.
        using var predictor = XLinearServingModel.Open(_host.Path("xr.xmr"));
        var random = new Random(5);
        var rows = Enumerable.Range(0, 20).Select(r =>
        {
            int[] ids = Enumerable.Range(0, ModelFolder.Features).OrderBy(_ => random.Next()).Take(r % 7).ToArray(); // includes an empty row
            return (ids, ids.Select(_ => (float)random.NextDouble()).ToArray());
        }).ToArray();
        var body = new { rows = rows.Select(r => new { indices = r.ids, values = r.Item2 }), topK = 7, beamSize = 3 };
        var response = await _host.Client.PostAsJsonAsync("/v1/xlinear/xr/predict", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.That(results, Has.Length.EqualTo(rows.Length));
        for (int r = 0; r < rows.Length; r++)
        {
            var expected = predictor.Predict(rows[r].ids, rows[r].Item2, predictor.Options(topK: 7, beamSize: 3));
            var got = results[r].EnumerateArray().Select(e => (e.GetProperty("label").GetInt32(), e.GetProperty("score").GetSingle())).ToArray();
            Assert.That(got, Is.EqualTo(expected.Select(e => (e.Label, e.Score)).ToArray()), $"row {r}");
        }
        Assert.That(doc.RootElement.GetProperty("version").GetString(), Is.EqualTo(_host.Registry.Describe("xr")!.Version));
    }

    [Test]
    public async Task XLinearPredictWithoutTopKUsesTheModelsSavedDefaults()
    {
        using var predictor = XLinearModelFile.OpenMapped(_host.Path("xr.xmr"));
        var response = await _host.Client.PostAsJsonAsync("/v1/xlinear/xr/predict", new { rows = new[] { new { indices = new[] { 1, 2, 3 }, values = new[] { 1f, 1f, 1f } } } });
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        int n = doc.RootElement.GetProperty("results")[0].GetArrayLength();
        Assert.That(n, Is.EqualTo(predictor.Predict([1, 2, 3], [1f, 1f, 1f]).Length));
        Assert.That(n, Is.EqualTo(predictor.Defaults.TopK));
    }

    [Test]
    public async Task ProductSearchEqualsTheInProcessModel()
    {
        var model = ProductRetrievalModel.Load(_host.Path("shop"));
        var catalog = ModelFolder.Catalog;
        foreach (string q in new[] { catalog.Items[3], catalog.CategoryWords[1], $"{catalog.Brand[10]} {catalog.Model[10]}", "no such words at all" })
        {
            using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync($"/v1/products/shop/search?q={Uri.EscapeDataString(q)}&topK=5"));
            var got = doc.RootElement.GetProperty("results").EnumerateArray()
                .Select(e => (e.GetProperty("id").GetInt32(), e.GetProperty("text").GetString(), e.GetProperty("score").GetSingle())).ToArray();
            var expected = model.Predict(q, 5).Select(m => (m.Id, (string?)m.Text, m.Score)).ToArray();
            Assert.That(got, Is.EqualTo(expected), q);
        }
    }

    [Test]
    public async Task QacSuggestEqualsTheInProcessModelWithSources()
    {
        var model = QacModel.Load(_host.Path("qac"));
        var cases = new (string? Prev, string Prefix)[] { ("context3 alpha3", "d"), ("context1 alpha1", ""), (null, "a"), ("unknown words", "b"), ("context2 alpha2", "ctarget") };
        foreach (var (prev, prefix) in cases)
        {
            string url = $"/v1/qac/qac/suggest?prefix={Uri.EscapeDataString(prefix)}&count=8" + (prev is null ? "" : $"&prev={Uri.EscapeDataString(prev)}");
            using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync(url));
            var got = doc.RootElement.GetProperty("suggestions").EnumerateArray()
                .Select(e => (e.GetProperty("text").GetString(), e.GetProperty("score").GetSingle(), e.GetProperty("source").GetString())).ToArray();
            var expected = model.Suggest(prev, prefix, 8).Select(s => ((string?)s.Query, s.Score, (string?)s.Source.ToName())).ToArray();
            Assert.That(got, Is.EqualTo(expected), $"prev={prev} prefix={prefix}");
            Assert.That(doc.RootElement.GetProperty("elapsedMs").GetDouble(), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public async Task ConcurrentRequestsAnswerAsSequentialOnes()
    {
        string[] urls = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? $"/v1/qac/qac/suggest?prev=context{i % 5}%20alpha{i % 5}&prefix={(char)('a' + i % 4)}"
            : $"/v1/products/shop/search?q={Uri.EscapeDataString(ModelFolder.Catalog.Items[i])}").ToArray();
        var sequential = new List<string>();
        foreach (string u in urls) sequential.Add(WithoutTiming(await _host.Client.GetStringAsync(u)));
        var parallel = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => urls.Select(async u => WithoutTiming(await _host.Client.GetStringAsync(u)))));
        Assert.That(parallel, Is.EqualTo(Enumerable.Range(0, 4).SelectMany(_ => sequential).ToArray()));
    }

    [Test]
    public async Task HealthAndReadinessAreUp()
    {
        Assert.That((await _host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ready = await _host.Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task MetricsExposeRequestsLatencyVersionsAndReloads()
    {
        await _host.Client.GetStringAsync("/v1/qac/qac/suggest?prefix=a");
        await _host.Client.GetAsync("/v1/qac/nosuch/suggest?prefix=a");
        string metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.That(metrics, Does.Contain("xmr_requests_total{").And.Contain("endpoint=\"qac.suggest\""));
        Assert.That(metrics, Does.Contain("xmr_request_errors_total{").And.Contain("model=\"unknown\""));
        Assert.That(metrics, Does.Contain("xmr_request_duration_seconds_bucket{"));
        Assert.That(metrics, Does.Contain($"version=\"{_host.Registry.Describe("qac")!.Version}\""));
        Assert.That(metrics, Does.Contain("xmr_model_reloads_total{").And.Contain("outcome=\"swapped\""));
    }

    [Test]
    public async Task ThePageAndItsScriptAreServed()
    {
        var page = await _host.Client.GetAsync("/");
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        string html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("id=\"prev\"").And.Contain("id=\"prefix\"").And.Contain("/app.js"));
        var script = await _host.Client.GetAsync("/app.js");
        Assert.That(script.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("/suggest?"));
        Assert.That((await _host.Client.GetAsync("/style.css")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>The server-side time differs between calls; everything else must not.</summary>
    private static string WithoutTiming(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"elapsedMs\":[0-9.eE+-]+", "");
}
