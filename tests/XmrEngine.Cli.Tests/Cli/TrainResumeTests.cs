using XmrEngine.IO;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// A real <c>xmr train --checkpoint</c> child process is SIGKILLed once its first level is stored; <c>--resume</c>
/// then finishes the training and writes the very model an uninterrupted run writes, byte for byte, and removes
/// the checkpoint. Resuming with other flags is refused naming the checkpoint.
/// </summary>
public class TrainResumeTests
{
    [Test]
    public void AKilledTrainingResumesToTheSameModelFile()
    {
        using var dir = new TempDir();
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 6000, Features = 40_000, Labels = 3000, Seed = 11 });
        string train = dir.File("train.txt");
        XmcTextFormat.Write(train, x, y);
        string reference = dir.File("reference.xmr"), model = dir.File("model.xmr"), checkpoint = dir.File("ck");
        string[] Args(string target, params string[] more) => ["train", "-x", train, "-m", target, "--threads", "2", .. more];
        Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(reference))), Is.Zero);

        string first = Path.Combine(checkpoint, "tree-0-level-0.npz"), last = Path.Combine(checkpoint, "tree-0-level-2.npz");
        bool killedBetweenLevels = false;
        for (int attempt = 0; attempt < 5 && !killedBetweenLevels; attempt++)
        {
            using var child = XmrCli.Start(Args(model, "--checkpoint", checkpoint));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!child.HasExited && !File.Exists(first) && clock.Elapsed < XmrCli.Deadline) Thread.SpinWait(200);
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            XmrCli.WaitForExit(child);
            killedBetweenLevels = File.Exists(first) && !File.Exists(last) && !File.Exists(model);
            File.Delete(model);
        }
        Assert.That(killedBetweenLevels, Is.True, "no kill landed after level 0 was stored and before the last level");

        var wrong = Xmr.Run(Args(model, "--checkpoint", checkpoint, "--resume", "--Cp", "2"));
        Assert.That(wrong.ExitCode, Is.Not.Zero, wrong.ToString());
        Assert.That(wrong.Err, Does.Contain("checkpoint.json").And.Contain("other training data or options"), wrong.ToString());
        Assert.That(File.Exists(model), Is.False, "a refused resume writes no model");

        var resumed = Xmr.Run(Args(model, "--checkpoint", checkpoint, "--resume"));
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        Assert.That(resumed.Out, Does.Contain("resumed from").And.Contain("1 of 1 trees"), resumed.ToString());
        Assert.That(File.ReadAllBytes(model), Is.EqualTo(File.ReadAllBytes(reference)), "the resumed model is the uninterrupted run's, byte for byte");
        Assert.That(Directory.Exists(checkpoint), Is.False, "the checkpoint is removed once the model is saved");
    }

    [Test]
    public void ResumeWithoutACheckpointIsOneErrorNamingTheFolder()
    {
        using var dir = new TempDir();
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 200, Features = 500, Labels = 40, Seed = 2 });
        string train = dir.File("train.txt");
        XmcTextFormat.Write(train, x, y);
        var run = Xmr.Run("train", "-x", train, "-m", dir.File("m.xmr"), "--resume");
        Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Err, Does.Contain("m.xmr.checkpoint").And.Contain("no training checkpoint"), run.ToString());
    }
}
