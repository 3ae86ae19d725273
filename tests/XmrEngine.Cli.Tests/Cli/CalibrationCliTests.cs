using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Serving;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>xmr train --calibrate</c>, <c>xmr predict --min-probability / --probabilities</c> and <c>xmr evaluate --reliability</c>
/// end to end on generated data, and the errors when a model has no calibration.
/// </summary>
public class CalibrationCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void Calibrate_ThenPredictWithProbabilities_AndAMinimum()
    {
        using var dir = CliData.Scratch();
        string model = dir.File("cal.xmr");
        var train = Xmr.Run("train", "-x", Data.Train, "-m", model, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1", "--calibrate");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Err, Does.Contain("calibration: ").And.Contain("chosen on").And.Contain("140 held-out rows"), train.ToString());
        XLinearModelFile.Load(model, out var metadata);
        Assert.That(metadata.Calibration, Is.Not.Null, "the map is saved in the model");

        var all = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("all.npz"), "--probabilities", dir.File("p.npz"));
        Assert.That(all.ExitCode, Is.EqualTo(0), all.ToString());
        var scores = NpzFormat.ReadCsr(dir.File("all.npz"));
        var probabilities = NpzFormat.ReadCsr(dir.File("p.npz"));
        Assert.That(probabilities.Nnz, Is.EqualTo(scores.Nnz), "one probability per answer");
        using var opened = XLinearServingModel.Open(model);
        for (int r = 0; r < scores.Rows; r++)
        {
            Assert.That(probabilities.Row(r).Indices.ToArray(), Is.EqualTo(scores.Row(r).Indices.ToArray()));
            var s = scores.Row(r).Values.ToArray();
            var p = probabilities.Row(r).Values.ToArray();
            for (int i = 0; i < s.Length; i++) Assert.That(p[i], Is.EqualTo(opened.Probability(s[i])), $"row {r}: the model's own probability");
        }

        var kept = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("kept.npz"), "--min-probability", "0.5");
        Assert.That(kept.ExitCode, Is.EqualTo(0), kept.ToString());
        var filtered = NpzFormat.ReadCsr(dir.File("kept.npz"));
        long expected = 0;
        for (int r = 0; r < scores.Rows; r++)
        {
            var s = scores.Row(r);
            var f = filtered.Row(r);
            var keptLabels = new List<int>();
            for (int i = 0; i < s.Length; i++)
                if (opened.Probability(s.Values[i]) >= 0.5f) keptLabels.Add(s.Indices[i]);
            Assert.That(f.Indices.ToArray(), Is.EqualTo(keptLabels), $"row {r}: exactly the answers of probability >= 0.5");
            expected += keptLabels.Count;
        }
        Assert.That(filtered.Nnz, Is.EqualTo(expected));
        Assert.That(expected, Is.GreaterThan(0).And.LessThan(scores.Nnz), "the threshold keeps some answers and drops others");

        var reliability = Xmr.Run("evaluate", "-y", Data.Test, "-p", dir.File("p.npz"), "--reliability", "10");
        Assert.That(reliability.ExitCode, Is.EqualTo(0), reliability.ToString());
        Assert.That(reliability.Out, Does.Contain("| bin | mean predicted | observed frequency | count |").And.Contain("ECE (10 bins").And.Contain("at probability >= 0.5"));
    }

    [Test]
    public void Calibrate_KeepsTheModelTrainedOnAllRows_Unchanged()
    {
        // The map comes from a separate model on 80% of the rows; the saved weights are those of a plain run.
        using var dir = CliData.Scratch();
        string[] common = ["-x", Data.Train, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1"];
        Assert.That(Xmr.Run(["train", "-m", dir.File("plain.xmr"), .. common]).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run(["train", "-m", dir.File("cal.xmr"), "--calibrate", .. common]).ExitCode, Is.EqualTo(0));
        var plain = XLinearModelFile.Load(dir.File("plain.xmr"));
        var calibrated = XLinearModelFile.Load(dir.File("cal.xmr"));
        for (int t = 0; t < plain.Weights.Count; t++)
            Assert.That(calibrated.Weights[t].Values.ToArray(), Is.EqualTo(plain.Weights[t].Values.ToArray()), $"level {t}");
    }

    [Test]
    public void MinProbability_WithScoresTheMapWasNotFittedOn_IsAUserError()
    {
        using var dir = CliData.Scratch();
        string model = dir.File("ensemble.xmr");
        var train = Xmr.Run("train", "-x", Data.Train, "-m", model, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1", "--trees", "2", "--calibrate");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("ok.npz"), "--min-probability", "0.5").ExitCode, Is.EqualTo(0));
        var post = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("p.npz"), "--min-probability", "0.5", "--post-processor", "sigmoid");
        Xmr.AssertUserError(post, "--min-probability", "holds for l3-hinge scores", "not sigmoid");
        var combination = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", dir.File("p.npz"), "--probabilities", dir.File("q.npz"), "--combination", "max");
        Xmr.AssertUserError(combination, "--probabilities", "combined by average", "combined by max");
    }

    [Test]
    public void MinProbability_OnAModelWithoutCalibration_IsAUserError()
    {
        using var dir = CliData.Scratch();
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("p.npz"), "--min-probability", "0.5");
        Xmr.AssertUserError(run, "--min-probability", "has no calibration", "xmr train --calibrate");
        Assert.That(File.Exists(dir.File("p.npz")), Is.False);
        var probabilities = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("p.npz"), "--probabilities", dir.File("q.npz"));
        Xmr.AssertUserError(probabilities, "--probabilities", "has no calibration");
        var range = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", dir.File("p.npz"), "--min-probability", "1.5");
        Xmr.AssertUserError(range, "--min-probability must be in [0, 1]");
    }
}
