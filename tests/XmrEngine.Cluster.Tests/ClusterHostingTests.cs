using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmrEngine.Cluster.Serving;
using XmrEngine.Hosting;
using XmrEngine.IO;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sharding;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Cluster.Tests;

/// <summary>
/// The hosting library serving a model name from a cluster (<c>NAME.cluster.json</c>): three silo processes hold a
/// sharded Bibtex model, an in-memory ASP.NET Core host answers <c>POST /v1/xlinear/{name}/predict</c> through them.
/// </summary>
[TestFixture]
[Category("Cluster")]
public sealed class ClusterHostingTests
{
    private static readonly PredictOptions Search = new() { TopK = 10, BeamSize = 10 };
    private ClusterFixture _cluster = null!;
    private TempDir _temp = null!;
    private XLinearModel _model = null!;
    private CsrMatrix _test = null!;
    private string _sharded = null!;

    [OneTimeSetUp]
    public void Start()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        // Raw rows, as a user sends them: each front door prepares them by the model's rule.
        _test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt")).Features;
        _model = XLinearTrainer.Train(train.Features.NormalizeRows(), train.Labels,
            new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } });
        _temp = new TempDir();
        _sharded = ClusterFixture.Shard(_model, _temp.Path, "bibtex-sharded", 2, 3);
        _cluster = new ClusterFixture(3);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _cluster?.Dispose();
        _temp?.Dispose();
    }

    [Test]
    [Category("RealData")]
    public async Task ClusterName_AnswersAsTheUnshardedModel_AndABrokenFileOnlyBreaksItsName()
    {
        string models = Directory.CreateDirectory(Path.Combine(_temp.Path, "models")).FullName;
        XLinearModelFile.Save(Path.Combine(models, "local.xmr"), _model);
        WriteConfig(Path.Combine(models, "bibtex.cluster.json"), new { clusterId = _cluster.ClusterId, redis = _cluster.Redis, model = _sharded });
        string broken = Path.Combine(models, "broken.cluster.json");
        WriteConfig(broken, new { clusterId = _cluster.ClusterId, redis = _cluster.Redis });
        string elsewhere = Path.Combine(models, "nowhere.cluster.json");
        WriteConfig(elsewhere, new { clusterId = _cluster.ClusterId, redis = _cluster.Redis, model = Path.Combine(_temp.Path, "no-such-dir") });

        await using var app = await StartHostAsync(models);
        var client = app.GetTestClient();
        var registry = app.Services.GetRequiredService<ModelRegistry>();

        var bibtex = registry.Describe("bibtex")!;
        Assert.That(bibtex.Loaded, Is.True, bibtex.LastError + "\n" + _cluster.Output);
        Assert.That(bibtex.Kind, Is.EqualTo(XLinearServingModel.KindName));
        Assert.That(bibtex.LabelCount, Is.EqualTo(_model.LabelCount));

        // A few raw test rows through HTTP, against the in-process unsharded model's front door, best first.
        using var expectedPredictor = new XLinearServingModel(new XLinearPredictor(_model));
        int[] picked = [0, 1, 7, 42, 100, 333];
        var rows = picked.Select(r =>
        {
            var v = _test.Row(r);
            return (Ids: v.Indices.ToArray(), Values: v.Values.ToArray());
        }).ToArray();
        var body = new { rows = rows.Select(r => new { indices = r.Ids, values = r.Values }), topK = Search.TopK, beamSize = Search.BeamSize };
        foreach (string name in new[] { "bibtex", "local" })
        {
            var response = await client.PostAsJsonAsync($"/v1/xlinear/{name}/predict", body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{name}: {text}");
            using var doc = JsonDocument.Parse(text);
            Assert.That(doc.RootElement.GetProperty("version").GetString(), Is.EqualTo(registry.Describe(name)!.Version));
            var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.That(results, Has.Length.EqualTo(rows.Length));
            for (int r = 0; r < rows.Length; r++)
            {
                var expected = expectedPredictor.Predict(rows[r].Ids, rows[r].Values, expectedPredictor.Options(Search.TopK, Search.BeamSize));
                var got = results[r].EnumerateArray().Select(e => (Label: e.GetProperty("label").GetInt32(), Score: e.GetProperty("score").GetSingle())).ToArray();
                Assert.That(expected, Is.Not.Empty);
                Assert.That(got.Select(g => g.Label), Is.EqualTo(expected.Select(e => e.Label)), $"{name}, test row {picked[r]}: labels best first");
                for (int i = 0; i < got.Length; i++)
                    Assert.That(got[i].Score, Is.EqualTo(expected[i].Score).Within(1e-6f), $"{name}, test row {picked[r]}: score {i}");
            }
        }

        // Bad files: each name reports its error (file and field) and answers 503; the others serve on.
        var missingField = registry.Describe("broken")!;
        Assert.That(missingField.Loaded, Is.False);
        Assert.That(missingField.LastError, Does.Contain(broken).And.Contain("field 'model'"));
        var missingDir = registry.Describe("nowhere")!;
        Assert.That(missingDir.Loaded, Is.False);
        Assert.That(missingDir.LastError, Does.Contain(elsewhere).And.Contain("field 'model'").And.Contain("no-such-dir"));
        foreach (string name in new[] { "broken", "nowhere" })
        {
            var refused = await client.PostAsJsonAsync($"/v1/xlinear/{name}/predict", body);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), name);
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("field 'model'"), name);
        }
        using (var listing = JsonDocument.Parse(await client.GetStringAsync("/v1/models")))
        {
            var broke = listing.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "broken");
            Assert.That(broke.GetProperty("lastError").GetString(), Does.Contain("broken.cluster.json"));
        }

        // Fixing the file is picked up by the watcher: the name then serves from the cluster too.
        WriteConfig(broken, new { clusterId = _cluster.ClusterId, redis = _cluster.Redis, model = _sharded });
        Assert.That(await Eventually(() => registry.Describe("broken")!.Loaded, 30), Is.True, registry.Describe("broken")!.LastError);
        var fixedAnswer = await client.PostAsJsonAsync("/v1/xlinear/broken/predict", body);
        Assert.That(fixedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fixedAnswer.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task UnreachableCluster_IsALoadErrorNamingTheFile_And503()
    {
        string models = Directory.CreateDirectory(Path.Combine(_temp.Path, "models-unreachable")).FullName;
        string file = Path.Combine(models, "gone.cluster.json");
        // A cluster id no silo has: the membership table lists no gateway to connect to.
        WriteConfig(file, new { clusterId = "xmr-test-nobody-" + Guid.NewGuid().ToString("N")[..8], redis = _cluster.Redis, model = _sharded });
        await using var app = await StartHostAsync(models, connectTimeout: TimeSpan.FromSeconds(5));
        var status = app.Services.GetRequiredService<ModelRegistry>().Describe("gone")!;
        Assert.That(status.Loaded, Is.False);
        Assert.That(status.LastError, Does.Contain(file).And.Contain("cannot reach cluster"));
        var response = await app.GetTestClient().PostAsJsonAsync("/v1/xlinear/gone/predict",
            new { rows = new[] { new { indices = new[] { 1 }, values = new[] { 1f } } } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task RefusedShardFile_IsA503NamingTheFile_NotA500()
    {
        var (dir, shard) = ClusterFixture.ShardWithOneCorrupt(_temp.Path, "hosted-corrupt", corruptShard: 1, seed: 31);
        string models = Directory.CreateDirectory(Path.Combine(_temp.Path, "models-corrupt")).FullName;
        WriteConfig(Path.Combine(models, "corrupt.cluster.json"), new { clusterId = _cluster.ClusterId, redis = _cluster.Redis, model = dir });
        await using var app = await StartHostAsync(models);
        // The load succeeds (the router checks only the meta-model here); the silo refuses the shard on first use.
        Assert.That(app.Services.GetRequiredService<ModelRegistry>().Describe("corrupt")!.Loaded, Is.True);
        // Shard 1 is always asked (ShardWithOneCorrupt says why).
        var response = await app.GetTestClient().PostAsJsonAsync("/v1/xlinear/corrupt/predict",
            new { rows = new[] { new { indices = new[] { 3, 40, 41 }, values = new[] { 1f, 0.5f, 0.25f } } }, beamSize = 10 });
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), text);
        Assert.That(text, Does.Contain(Path.GetFileName(shard)));
    }

    private static async Task<WebApplication> StartHostAsync(string models, TimeSpan? connectTimeout = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddXmrEngine(o =>
        {
            o.ModelsDirectory = models;
            o.PollInterval = TimeSpan.FromMilliseconds(250);
            o.ChangeSettleTime = TimeSpan.FromMilliseconds(50);
            o.PrometheusMetrics = false;
            o.WebPage = false;
            o.AddClusterModels(new ClusterModelOptions { ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(20) });
        });
        var app = builder.Build();
        app.MapXmrEngine();
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelRegistry>().InitialLoad.WaitAsync(TimeSpan.FromSeconds(60));
        return app;
    }

    private static void WriteConfig(string path, object config)
    {
        // Written aside and renamed in, as a deployment would, so the watcher never reads half a file.
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(config));
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<bool> Eventually(Func<bool> condition, double seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return condition();
    }
}
