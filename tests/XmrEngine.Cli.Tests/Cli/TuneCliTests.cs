using XmrEngine.Persistence;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr tune</c>, <c>xmr train --preset</c> and <c>--trees</c> as a user runs them.</summary>
public class TuneCliTests
{
    private static CliData Data => CliData.Shared;

    private static readonly string[] SmallGrid = ["--costs", "0.5,1", "--max-trees", "2", "--beams", "10", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1"];

    [Test]
    public void Validation_NeverReadsTheTestFile()
    {
        using var dir = CliData.Scratch();
        string withTest = dir.File("with-test.xmr"), without = dir.File("without.xmr");
        string unreadable = dir.File("no-such-dir/test.txt");
        var failed = Xmr.Run(["tune", "-x", Data.Train, "-m", withTest, "--test", unreadable, .. SmallGrid]);
        // The test path fails only at the very end, after the grid ran and the model was saved.
        Assert.That(failed.ExitCode, Is.EqualTo(2), failed.ToString());
        Assert.That(failed.ErrLines[^1], Does.StartWith("error: ").And.Contain(unreadable), failed.ToString());
        Assert.That(failed.Out, Does.Contain("chosen"), failed.ToString());
        Assert.That(File.Exists(withTest), Is.True, failed.ToString());
        var ok = Xmr.Run(["tune", "-x", Data.Train, "-m", without, .. SmallGrid]);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.ToString());
        Assert.That(File.ReadAllBytes(withTest), Is.EqualTo(File.ReadAllBytes(without)), "same choice and model with and without --test");
    }

    [Test]
    public void Tune_PrintsTheGridAndScoresTheTestSetAfterwards()
    {
        using var dir = CliData.Scratch();
        string model = dir.File("tuned.xmr");
        var run = Xmr.Run(["tune", "-x", Data.Train, "-m", model, "--test", Data.Test, .. SmallGrid]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        // 2 costs x 2 tree counts x 1 beam: four rows, one chosen.
        Assert.That(run.Out.Split('\n').Count(l => l.Contains("│") && l.Contains("l3-hinge")), Is.EqualTo(4), run.ToString());
        Assert.That(run.Out, Does.Contain("test ").And.Contain("P@1/3/5"), run.ToString());
        var ensemble = XLinearModelFile.LoadEnsemble(model, out var metadata);
        Assert.That(metadata.Training!.Preset, Is.EqualTo("tuned"));
        Assert.That(ensemble.Trees.Count, Is.InRange(1, 2));
    }

    [Test]
    public void Trees_SaveAnEnsembleThatPredicts_AndMaskedScoringSaysItTakesOneTree()
    {
        using var dir = CliData.Scratch();
        string model = dir.File("two.xmr"), output = dir.File("p.npz");
        var train = Xmr.Run("train", "-x", Data.Train, "-m", model, "--trees", "2", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1");
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Out, Does.Contain("2 trees of depth"));
        var predict = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", output, "--combination", "rank");
        Assert.That(predict.ExitCode, Is.EqualTo(0), predict.ToString());
        Assert.That(predict.Out, Does.Contain("2 trees (rank)"));
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", output, "--backend", "managed"), "ensemble of 2 trees", "--scoring chunked");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", output, "--combination", "median"), "median");
    }

    [Test]
    public void Presets_SetWhatTheyName()
    {
        using var dir = CliData.Scratch();
        string fast = dir.File("fast.xmr"), quality = dir.File("quality.xmr");
        var run = Xmr.Run("train", "-x", Data.Train, "-m", fast, "--preset", "fast", "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        XLinearModelFile.Load(fast, out var fastMetadata);
        Assert.That(fastMetadata.Prediction.BeamSize, Is.EqualTo(5));
        run = Xmr.Run("train", "-x", Data.Train, "-m", quality, "--preset", "quality", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("chosen Cp = Cn = "));
        XLinearModelFile.LoadEnsemble(quality, out var qualityMetadata);
        Assert.That(qualityMetadata.Training!.Preset, Is.EqualTo("quality"));
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", fast, "--preset", "best"), "--preset", "best");
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", fast, "--preset", "quality", "--trees", "2", "--Cp", "2"), "leave out --Cp, --trees");
    }

    [Test]
    public void Presets_BuildTheirTrees_AndExplicitTreeFlagsWin()
    {
        using var dir = CliData.Scratch();
        (int NrSplits, bool EmptyLast, double Eps, string? Preset) Trained(string name, params string[] extra)
        {
            string model = dir.File(name);
            var run = Xmr.Run(["train", "-x", Data.Train, "-m", model, "--max-leaf-size", "4", "--threads", "1", .. extra]);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            XLinearModelFile.Load(model, out var m);
            var t = m.Training!;
            // Settings earlier builds defaulted to are left out of the file, so such files keep their bytes.
            string json = m.ToJson();
            Assert.That(json.Contains("\"empty_labels_last\""), Is.EqualTo(t.EmptyLabelsLast), json);
            Assert.That(json.Contains("\"eps\""), Is.EqualTo(t.Eps != 0.1), json);
            return (t.NrSplits, t.EmptyLabelsLast, t.Eps, t.Preset);
        }
        Assert.That(Trained("balanced.xmr"), Is.EqualTo((64, true, 0.3, (string?)null)), "default = balanced = the recommended tree and tolerance");
        Assert.That(Trained("fast.xmr", "--preset", "fast"), Is.EqualTo((64, true, 0.3, "fast")));
        Assert.That(Trained("pecos.xmr", "--preset", "pecos"), Is.EqualTo((16, false, 0.1, "pecos")), "PECOS's eps 0.1 is not recorded");
        Assert.That(Trained("pecos8.xmr", "--preset", "pecos", "--nr-splits", "8", "--empty-labels-last", "true", "--eps", "0.5"), Is.EqualTo((8, true, 0.5, "pecos")));
        Assert.That(Trained("plain.xmr", "--empty-labels-last", "false", "--eps", "0.1"), Is.EqualTo((64, false, 0.1, (string?)null)));
    }

    [TestCase("--costs", "0.5,abc", "--costs")]
    [TestCase("--costs", "0,1", "--costs must be positive")]
    [TestCase("--beams", "0", "--beams must be at least 1")]
    [TestCase("--max-trees", "0", "--max-trees must be at least 1")]
    [TestCase("--post-processors", "foo", "Unknown post-processor 'foo'")]
    [TestCase("--validation-fraction", "0.9", "validation fraction")]
    public void BadGrid_IsAUserErrorNamingTheFlag(string flag, string value, string named)
    {
        using var dir = CliData.Scratch();
        Xmr.AssertUserError(Xmr.Run("tune", "-x", Data.Train, "-m", dir.File("m.xmr"), flag, value), named);
    }
}
