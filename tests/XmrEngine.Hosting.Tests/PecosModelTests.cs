using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.IO;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Hosting.Tests;

/// <summary>A PECOS XLinearModel directory in the models folder is served as an XR-Linear model, with PECOS's saved settings.</summary>
public sealed class PecosModelTests
{
    [Test]
    public async Task APecosDirectoryIsServedAsXLinearWithItsSavedSettings()
    {
        var x = RandomSparse.Csr(300, 120, 0.08, seed: 3, allowEmptyRows: false).NormalizeRows();
        var y = RandomSparse.Csr(300, 40, 0.05, seed: 4, allowEmptyRows: false);
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 6 } });
        await using var host = await TestHost.StartAsync(withModels: false, prepare: dir =>
            PecosLayout.Write(Path.Combine(dir, "pecos"), model, beam: 5, topK: 7, "l3-hinge", (path, m) => NpzFormat.Write(path, m)));

        var status = host.Registry.Describe("pecos")!;
        Assert.That(status.Loaded, Is.True, status.LastError);
        Assert.That(status.Kind, Is.EqualTo(XLinearServingModel.KindName));
        Assert.That(status.Version, Does.StartWith("xxh64:"), "a content hash of the folder");

        using var predictor = XLinearServingModel.Open(host.Path("pecos"));
        int[] ids = [2, 30, 77];
        float[] values = [0.5f, 0.6f, 0.7f];
        var response = await host.Client.PostAsJsonAsync("/v1/xlinear/pecos/predict", new { rows = new[] { new { indices = ids, values } } });
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var got = doc.RootElement.GetProperty("results")[0].EnumerateArray().Select(e => (e.GetProperty("label").GetInt32(), e.GetProperty("score").GetSingle())).ToArray();
        var expected = predictor.Predict(ids, values).Select(l => (l.Label, l.Score)).ToArray();
        Assert.That(got, Has.Length.EqualTo(7), "PECOS's only_topk is the default top-k");
        Assert.That(got, Is.EqualTo(expected));
    }
}
