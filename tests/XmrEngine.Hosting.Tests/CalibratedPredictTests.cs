using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using XmrEngine.Indexing;
using XmrEngine.Inference;
using XmrEngine.Persistence;
using XmrEngine.Serving;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Hosting.Tests;

/// <summary>
/// A calibrated model's predict answers carry each label's probability, the one the model itself gives
/// (<see cref="XLinearServingModel.Probability"/>); an uncalibrated model's answers have no such field; the OpenAPI
/// document describes it.
/// </summary>
[NonParallelizable]
public sealed class CalibratedPredictTests
{
    private const int Features = 300;
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await TestHost.StartAsync(prepare: dir =>
    {
        var x = RandomSparse.Csr(500, Features, 0.05, seed: 31, allowEmptyRows: false).NormalizeRows();
        var y = RandomSparse.Csr(500, 40, 0.05, seed: 32, allowEmptyRows: false);
        var options = new XLinearTrainOptions { Threads = 1, Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 8 } };
        var calibration = HeldOutCalibration.Fit(x, y, options, PredictOptions.Default);
        var model = XLinearTrainer.TrainEnsemble(x, y, options);
        XLinearModelFile.Save(Path.Combine(dir, "calibrated.xmr"), model, new ModelMetadata { Calibration = calibration });
    });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private static readonly int[][] Rows = [[1, 7, 20, 150], [3, 4, 5], [299]];

    private async Task<JsonElement[][]> Predict(string name)
    {
        var body = new { rows = Rows.Select(r => new { indices = r, values = r.Select(_ => 1f) }), topK = 8 };
        var response = await _host.Client.PostAsJsonAsync($"/v1/xlinear/{name}/predict", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.Clone()).ToArray()).ToArray();
    }

    [Test]
    public async Task ACalibratedModelsAnswers_CarryTheModelsOwnProbability()
    {
        var results = await Predict("calibrated");
        using var model = XLinearServingModel.Open(_host.Path("calibrated.xmr"));
        Assert.That(model.Calibration, Is.Not.Null);
        for (int r = 0; r < Rows.Length; r++)
        {
            var expected = model.Predict(Rows[r], Rows[r].Select(_ => 1f).ToArray(), model.Options(topK: 8));
            Assert.That(results[r], Has.Length.EqualTo(expected.Length));
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.That(results[r][i].GetProperty("label").GetInt32(), Is.EqualTo(expected[i].Label));
                Assert.That(results[r][i].TryGetProperty("probability", out var p), Is.True, $"row {r}, answer {i} has a probability");
                Assert.That(p.GetSingle(), Is.EqualTo(model.Probability(expected[i].Score)!.Value), $"row {r}, answer {i}");
                Assert.That(p.GetSingle(), Is.InRange(0f, 1f));
            }
        }
    }

    [Test]
    public async Task AnUncalibratedModelsAnswers_HaveNoProbabilityField()
    {
        var results = await Predict("xr");
        Assert.That(results.SelectMany(r => r).Any(e => e.TryGetProperty("probability", out _)), Is.False);
    }

    [Test]
    public async Task TheOpenApiDocument_DescribesTheProbability()
    {
        using var document = JsonDocument.Parse(await _host.Client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.That(schemas.TryGetProperty("LabelScore", out var labelScore), Is.True, schemas.ToString());
        var properties = labelScore.GetProperty("properties");
        Assert.That(properties.TryGetProperty("probability", out var probability), Is.True, labelScore.ToString());
        Assert.That(probability.GetRawText(), Does.Contain("number"));
        Assert.That(probability.GetProperty("description").GetString(), Does.Contain("calibrat"));
    }
}
