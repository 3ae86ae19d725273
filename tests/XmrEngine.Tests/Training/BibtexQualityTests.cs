using System.Diagnostics;
using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;
using XmrEngine.Persistence;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Trains XR-Linear with PECOS's defaults on the real Bibtex data through the product's own path
/// (XMC text reader, trainer, model file, predictor, metrics) and checks precision at 1/3/5 on its test
/// split (PECOS: 63.38 / 38.65 / 28.05). Skipped when the shared data folder is absent.
/// </summary>
[Category("RealData")]
public class BibtexQualityTests
{
    private static (CsrMatrix X, CsrMatrix Y, CsrMatrix TestX, CsrMatrix TestY) LoadOrSkip()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        return (train.Features.NormalizeRows(), train.Labels, test.Features.NormalizeRows(), test.Labels);
    }

    [Test]
    public void DefaultsReachPecosPrecision()
    {
        var (x, y, tx, ty) = LoadOrSkip();
        var sw = Stopwatch.StartNew();
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions());
        sw.Stop();
        // Through a saved and reloaded model file, as a user would serve it.
        string path = Path.Combine(Path.GetTempPath(), $"bibtex-{Guid.NewGuid():N}.xmr");
        try
        {
            XLinearModelFile.Save(path, model);
            var predictor = new XLinearPredictor(XLinearModelFile.Load(path));
            var m = XmcMetrics.Evaluate(ty, predictor.Predict(tx), topK: 5);
            double p1 = 100 * m.PrecisionAtK[0], p3 = 100 * m.PrecisionAtK[2], p5 = 100 * m.PrecisionAtK[4];
            TestContext.Out.WriteLine($"bibtex tfn: train {sw.ElapsedMilliseconds} ms (not asserted), P@1 {p1:F2} P@3 {p3:F2} P@5 {p5:F2}");
            Assert.That(p1, Is.GreaterThanOrEqualTo(62.5), "P@1");
            Assert.That(p3, Is.GreaterThanOrEqualTo(38.0), "P@3");
            Assert.That(p5, Is.GreaterThanOrEqualTo(27.5), "P@5");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
