using XmrEngine.IO;
using System.Text.Json;
using XmrEngine.Inference;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Persistence;

namespace XmrEngine.Tests.Inference;

/// <summary>Writes random models in PECOS's directory layout and loads them back.</summary>
public class PecosModelDirectoryTests
{
    private TempDir _temp = null!;
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDir();
        _dir = _temp.Path;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Saves <paramref name="model"/> as PECOS's XLinearModel.save would lay it out, with the test-only npz writer.</summary>
    private static void WritePecos(string dir, XLinearModel model, int beam, int topK, string post, bool biasRow = true, bool skipRootCodes = false) =>
        PecosLayout.Write(dir, model, beam, topK, post, TestNpz.WriteCsc, biasRow, skipRootCodes);

    [TestCase(1, "l3-hinge")]
    [TestCase(2, "sigmoid")]
    [TestCase(3, "log-l2-hinge")]
    public void RandomModel_LoadsWithIdenticalPredictions(int depth, string post)
    {
        var model = RandomModels.Model(depth, 90, 0.1, seed: depth + 40);
        WritePecos(_dir, model, beam: 6, topK: 4, post);
        var loaded = PecosModelDirectory.Load(_dir, TestNpz.ReadCsc);
        Assert.That(loaded.Options.TopK, Is.EqualTo(4));
        Assert.That(loaded.Options.BeamSize, Is.EqualTo(depth > 1 ? 6 : 10));
        Assert.That(loaded.Options.PostProcessor.Name, Is.EqualTo(post));
        Assert.That(loaded.Model.FeatureCount, Is.EqualTo(90));
        Assert.That(loaded.Model.Bias, Is.EqualTo(model.Bias));
        var x = RandomSparse.Csr(30, 90, 0.06, seed: 9);
        var expected = new XLinearPredictor(model, loaded.Options).Predict(x);
        var actual = new XLinearPredictor(loaded.Model, loaded.Options).Predict(x);
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()));
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()));
        Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()));
    }

    [Test]
    public void RankerFolderItself_AndMissingRootCodes_Load()
    {
        var model = RandomModels.Model(2, 30, 0.2, seed: 2);
        WritePecos(_dir, model, 10, 10, "l3-hinge", skipRootCodes: true);
        var loaded = PecosModelDirectory.Load(Path.Combine(_dir, "ranker"), TestNpz.ReadCsc);
        Assert.That(loaded.Model.Chain.Levels[0].Rows, Is.EqualTo(model.Chain.Levels[0].Rows));
        Assert.That(loaded.Model.Chain.Levels[1].Indices.ToArray(), Is.EqualTo(model.Chain.Levels[1].Indices.ToArray()));
    }

    [Test]
    public void NonPositiveBias_MeansNoBiasRow()
    {
        var model = RandomModels.Model(2, 25, 0.2, seed: 6);
        WritePecos(_dir, model, 10, 10, "l3-hinge", biasRow: false);
        var loaded = PecosModelDirectory.Load(_dir, TestNpz.ReadCsc);
        Assert.That(loaded.Model.Bias, Is.Zero);
        Assert.That(loaded.Model.Weights[0].Rows, Is.EqualTo(26));
        Assert.That(loaded.Model.Weights[0].ColumnLength(0), Is.LessThanOrEqualTo(model.Weights[0].ColumnLength(0)));
        // With bias 0 the bias row never contributes, so predictions equal the original model with bias 0.
        var unbiased = new XLinearModel(model.Chain, model.Weights, model.FeatureCount, 0f);
        var x = RandomSparse.Csr(10, 25, 0.2, seed: 1);
        Assert.That(new XLinearPredictor(loaded.Model).Predict(x).Values.ToArray(),
            Is.EqualTo(new XLinearPredictor(unbiased).Predict(x).Values.ToArray()).Within(1e-6f));
    }

    [Test]
    public void Errors_NameTheFileAndField()
    {
        var model = RandomModels.Model(2, 20, 0.2, seed: 8);
        WritePecos(_dir, model, 10, 10, "l3-hinge");
        string layer1 = Path.Combine(_dir, "ranker", "1.model", "param.json");

        File.WriteAllText(layer1, File.ReadAllText(layer1).Replace("\"l3-hinge\"", "\"sigmoid\""));
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("differs"));

        File.WriteAllText(layer1, File.ReadAllText(layer1).Replace("\"sigmoid\"", "\"cubic\""));
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("cubic").And.Message.Contains(layer1)
            .And.Property(nameof(XmrDataException.FilePath)).EqualTo(layer1).And.Property(nameof(XmrDataException.Field)).EqualTo("pred_kwargs.post_processor"));

        File.WriteAllText(layer1, "{\"model\": \"MLModel\", \"pred_kwargs\": {}}");
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("bias: the required field is missing")
            .And.Property(nameof(XmrDataException.Field)).EqualTo("bias"));

        File.WriteAllText(layer1, "{\"model\": \"Other\"}");
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("expected 'MLModel'"));

        File.Delete(Path.Combine(_dir, "ranker", "0.model", "W.npz"));
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("W.npz: is missing")
            .And.Property(nameof(XmrDataException.FilePath)).EqualTo(Path.Combine(_dir, "ranker", "0.model", "W.npz")));

        Assert.That(() => PecosModelDirectory.Load(Path.Combine(_dir, "nothing"), TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("param.json: is missing")
            .And.Property(nameof(XmrDataException.FilePath)).EqualTo(Path.Combine(_dir, "nothing", "param.json")));
    }

    [Test]
    public void CodeMatrixWithTwoParents_IsRejected()
    {
        var model = RandomModels.Model(2, 20, 0.2, seed: 12);
        WritePecos(_dir, model, 10, 10, "l3-hinge");
        var level = model.Chain.Levels[1];
        var b = new CooBuilder(level.Rows, level.Cols);
        for (int i = 0; i < level.Rows; i++) b.Add(i, level.Row(i).Indices[0], 1f);
        b.Add(0, (level.Row(0).Indices[0] + 1) % level.Cols, 1f);
        TestNpz.WriteCsc(Path.Combine(_dir, "ranker", "1.model", "C.npz"), b.ToCsr().ToCsc());
        Assert.That(() => PecosModelDirectory.Load(_dir, TestNpz.ReadCsc), Throws.TypeOf<XmrDataException>().With.Message.Contains("two parents"));
    }
}
