using XmrEngine.Evaluation;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;

namespace XmrEngine.Tests.Calibration;

/// <summary>
/// Does the map fitted on the held-out answers of a model trained on 80% of Bibtex's training rows hold for the model
/// trained on all of them (what <c>xmr train --calibrate</c> saves)? On the test split it must be about as well
/// calibrated as on the 80% model it was fitted for, and far better than the raw scores or than a map fitted on the
/// kept model's answers to rows it trained on (over-confident). Prints the table perf/RESULTS.md quotes.
/// Skipped when the shared data folder is absent.
/// </summary>
[Category("RealData")]
public class BibtexCalibrationTests
{
    [Test]
    public void TheHeldOutMap_TransfersToTheModelTrainedOnAllRows()
    {
        var train = XmcTextFormat.Read(SharedData.RequireFile("bibtex/train.txt"));
        var test = XmcTextFormat.Read(SharedData.RequireFile("bibtex/test.txt"));
        CsrMatrix x = train.Features.NormalizeRows(), y = train.Labels, xs = test.Features.NormalizeRows(), ys = test.Labels;
        var options = new XLinearTrainOptions();
        var prediction = PredictOptions.Default;
        var map = HeldOutCalibration.Fit(x, y, options, prediction);
        // The split HeldOutCalibration uses, to train the 80% model it fitted the map for and to show the shortcut.
        var (trainRows, heldRows) = HeldOutRows.Split(x.Rows, HeldOutCalibration.HeldOutFraction, options.Seed, stream: -3, maxHeldOut: HeldOutCalibration.MaxHeldOutRows);
        var part = XLinearTrainer.TrainEnsemble(x.SelectRows(trainRows), y.SelectRows(trainRows), options);
        var all = XLinearTrainer.TrainEnsemble(x, y, options);
        CsrMatrix Answers(XLinearEnsemble model, CsrMatrix rows) => new XLinearPredictor(model, prediction).Predict(rows, prediction);
        var own = HeldOutCalibration.Pairs(Answers(all, x.SelectRows(heldRows)), y.SelectRows(heldRows));
        var shortcut = ScoreCalibrator.Fit(own.Scores, own.Relevant, own.Rows, options.Seed, prediction.PostProcessor.Name);

        CalibrationReport Report(CsrMatrix answers, ScoreCalibration? calibration) =>
            CalibrationMetrics.Evaluate(ys, calibration is null ? answers : CsrFilter.MapValues(answers, s => (float)calibration.Probability(s), 0));
        var allTest = Answers(all, xs);
        var rows = new (string Name, CalibrationReport Report)[]
        {
            ("raw scores, all-rows model", Report(allTest, null)),
            ("held-out map on the 80% model it was fitted for", Report(Answers(part, xs), map)),
            ("held-out map on the all-rows model (what --calibrate saves)", Report(allTest, map)),
            ("map fitted on the all-rows model's answers to its own training rows", Report(allTest, shortcut)),
        };
        TestContext.Out.WriteLine($"map: {map}; {map.Description}\nshortcut: {shortcut}");
        TestContext.Out.WriteLine("| model and map | ECE (10 bins) | at p >= 0.5: kept / precision / recall |\n|---|---|---|");
        foreach (var (name, r) in rows)
            TestContext.Out.WriteLine($"| {name} | {r.ExpectedCalibrationError:F4} | {r.Kept:N0} / {r.Precision * 100:F2}% / {r.Recall * 100:F2}% |");

        double fittedFor = rows[1].Report.ExpectedCalibrationError, shipped = rows[2].Report.ExpectedCalibrationError;
        Assert.That(shipped, Is.LessThan(0.02), "the saved map is calibrated on unseen rows");
        Assert.That(shipped, Is.LessThan(fittedFor + 0.01), "it loses little moving from the 80% model to the all-rows model");
        Assert.That(rows[0].Report.ExpectedCalibrationError, Is.GreaterThan(3 * shipped), "raw scores are far from probabilities");
        Assert.That(rows[3].Report.ExpectedCalibrationError, Is.GreaterThan(3 * shipped), "a map fitted on training rows is over-confident");
    }
}
