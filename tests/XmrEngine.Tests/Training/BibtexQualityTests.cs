using System.Diagnostics;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Trains XR-Linear with PECOS's defaults on the real Bibtex data and checks precision at 1/3/5 on
/// its test split (PECOS: 63.38 / 38.65 / 28.05). Skipped when the shared data folder is absent.
/// </summary>
[Category("RealData")]
public class BibtexQualityTests
{
    private static (CsrMatrix X, CsrMatrix Y, CsrMatrix TestX, CsrMatrix TestY) LoadOrSkip()
    {
        var folder = BibtexLoader.FindDataFolder();
        if (folder is null) Assert.Ignore("Bibtex data not found (expected ../shared/data/bibtex beside the checkout).");
        var (x, y) = BibtexLoader.Load(Path.Combine(folder!, "train.txt"));
        var (tx, ty) = BibtexLoader.Load(Path.Combine(folder!, "test.txt"));
        return (x.NormalizeRows(), y, tx.NormalizeRows(), ty);
    }

    /// <summary>P@1, P@3, P@5 in percent, from beam search with beam 10 and the l3-hinge post-processor.</summary>
    private static double[] PrecisionAt135(XLinearModel model, CsrMatrix x, CsrMatrix y)
    {
        var beam = TreeBeamSearch.Predict(model, x, beamSize: 10, topK: 10, threads: 0);
        var hits = new double[6];
        for (int i = 0; i < x.Rows; i++)
        {
            var top = beam.NodesOf(i);
            int running = 0;
            for (int k = 0; k < 5; k++)
            {
                if (k < top.Length && y.RowIndices(i).BinarySearch(top[k]) >= 0) running++;
                hits[k + 1] += running;
            }
        }
        return [100 * hits[1] / x.Rows, 100 * hits[3] / (3.0 * x.Rows), 100 * hits[5] / (5.0 * x.Rows)];
    }

    [Test]
    public void DefaultsReachPecosPrecision()
    {
        var (x, y, tx, ty) = LoadOrSkip();
        var sw = Stopwatch.StartNew();
        var model = XLinearTrainer.Train(x, y, new XLinearTrainOptions());
        sw.Stop();
        var p = PrecisionAt135(model, tx, ty);
        TestContext.Out.WriteLine($"bibtex tfn: train {sw.ElapsedMilliseconds} ms (debug build, not asserted), P@1 {p[0]:F2} P@3 {p[1]:F2} P@5 {p[2]:F2}");
        Assert.That(p[0], Is.GreaterThanOrEqualTo(62.5), "P@1");
        Assert.That(p[1], Is.GreaterThanOrEqualTo(38.0), "P@3");
        Assert.That(p[2], Is.GreaterThanOrEqualTo(27.5), "P@5");
    }
}
