using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Training;

namespace XmrEngine.Tests.Calibration;

/// <summary>
/// <see cref="HeldOutCalibration"/> end to end: the map fitted on held-out training rows, applied to a model trained on
/// every row, is better calibrated on unseen rows than the raw scores; and the reliability metrics on a hand-made case.
/// </summary>
public class HeldOutCalibrationTests
{
    [Test]
    public void TheMap_FittedOnHeldOutRows_CalibratesTheFullModelOnUnseenRows()
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 3000, Features = 2000, Labels = 150, Seed = 4 });
        x = x.NormalizeRows();
        int[] train = Enumerable.Range(0, 2400).ToArray(), test = Enumerable.Range(2400, 600).ToArray();
        CsrMatrix xt = x.SelectRows(train), yt = y.SelectRows(train), xs = x.SelectRows(test), ys = y.SelectRows(test);
        var options = new XLinearTrainOptions { Threads = 1 };
        var prediction = PredictOptions.Default;
        var map = HeldOutCalibration.Fit(xt, yt, options, prediction);
        Assert.That(map.Description, Does.Contain("480 held-out rows"), map.Description);
        Assert.That(map.PostProcessor, Is.EqualTo(prediction.PostProcessor.Name));

        var model = XLinearTrainer.TrainEnsemble(xt, yt, options);
        var scores = new XLinearPredictor(model, prediction).Predict(xs, prediction, 1);
        var probabilities = CsrFilter.MapValues(scores, s => (float)map.Probability(s), 0);
        var raw = CalibrationMetrics.Evaluate(ys, scores);
        var calibrated = CalibrationMetrics.Evaluate(ys, probabilities);
        Assert.That(calibrated.Answers, Is.EqualTo(raw.Answers));
        Assert.That(calibrated.ExpectedCalibrationError, Is.LessThan(raw.ExpectedCalibrationError / 2),
            $"ECE raw {raw.ExpectedCalibrationError:F4}, calibrated {calibrated.ExpectedCalibrationError:F4}");
        Assert.That(calibrated.ExpectedCalibrationError, Is.LessThan(0.05));
        Assert.That(HeldOutCalibration.Fit(xt, yt, options, prediction).Description, Is.EqualTo(map.Description), "seeded: the same map again");
    }

    [Test]
    public void Pairs_MarkTheAnswersThatAreTrueLabels()
    {
        var predicted = new CsrMatrix(2, 4, [0, 2, 3], [0, 3, 1], [0.9f, 0.2f, 0.5f]);
        var truth = new CsrMatrix(2, 4, [0, 1, 3], [3, 0, 2], [1f, 1f, 1f]);
        var (scores, relevant, rows) = HeldOutCalibration.Pairs(predicted, truth);
        Assert.That(scores, Is.EqualTo(new[] { 0.9f, 0.2f, 0.5f }.Select(v => (double)v)));
        Assert.That(relevant, Is.EqualTo(new[] { false, true, false }));
        Assert.That(rows, Is.EqualTo(new[] { 0, 0, 1 }));
    }

    [Test]
    public void CalibrationMetrics_OnAHandMadeCase()
    {
        // Row 0: answers 0 (p 0.95, right) and 1 (p 0.15, wrong); row 1: answer 2 (p 0.55, wrong), label 3 never answered.
        var probabilities = new CsrMatrix(2, 4, [0, 2, 3], [0, 1, 2], [0.95f, 0.15f, 0.55f]);
        var truth = new CsrMatrix(2, 4, [0, 1, 2], [0, 3], [1f, 1f]);
        var report = CalibrationMetrics.Evaluate(truth, probabilities, bins: 10, threshold: 0.5);
        Assert.That(report.Bins[9].Count, Is.EqualTo(1));
        Assert.That(report.Bins[9].ObservedFrequency, Is.EqualTo(1));
        Assert.That(report.Bins[1].MeanPredicted, Is.EqualTo(0.15).Within(1e-6));
        Assert.That(report.Bins[5].ObservedFrequency, Is.EqualTo(0));
        // ECE = (|0.95 - 1| + |0.15 - 0| + |0.55 - 0|) / 3.
        Assert.That(report.ExpectedCalibrationError, Is.EqualTo((0.05 + 0.15 + 0.55) / 3).Within(1e-6));
        Assert.That((report.Kept, report.Precision, report.Recall), Is.EqualTo((2L, 0.5, 0.5)));
    }
}
