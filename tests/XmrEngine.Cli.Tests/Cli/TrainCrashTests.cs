using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// A real <c>xmr train</c> child process writing over an existing good model file is killed (SIGKILL) during
/// training and at spread-out moments after its save has started: after every kill the path holds the old model
/// or the new one, byte for byte, loadable with checksums; and a later save succeeds and leaves nothing behind.
/// </summary>
public class TrainCrashTests
{
    [Test]
    public void KilledAtManyMomentsTheModelFileIsTheOldOrTheNewOne()
    {
        using var dir = new TempDir();
        // Big enough that writing the model takes a while (tens of MB), small enough to train in seconds.
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 6000, Features = 40_000, Labels = 3000, Seed = 5 });
        string train = dir.File("train.txt"), oldTrain = dir.File("old.txt");
        XmcTextFormat.Write(train, x, y);
        XmcTextFormat.Write(oldTrain, x.SelectRows([.. Enumerable.Range(0, 500)]), y.SelectRows([.. Enumerable.Range(0, 500)]));
        string model = dir.File("model.xmr"), reference = dir.File("reference.xmr");
        string[] Args(string data, string target) => ["train", "-x", data, "-m", target, "--threads", "2", "--threshold", "0.01"];
        Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(oldTrain, reference))), Is.Zero);
        byte[] oldBytes = File.ReadAllBytes(reference);
        Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(train, reference))), Is.Zero);
        byte[] newBytes = File.ReadAllBytes(reference); // training is deterministic: what an uninterrupted run writes

        int killedMidSave = 0, asOld = 0, asNew = 0;
        foreach (double delayMs in KillMoments.Planned(new double[] { -1, 0, 1, 4, 16, 50, 100, 150, 200, 250, 300, 400, 800 }, () => killedMidSave > 0))
        {
            File.WriteAllBytes(model, oldBytes);
            // Temporaries of earlier killed saves stay until a later save finds them stale; only a new one counts.
            var earlier = Directory.GetFiles(dir.Path, ".model.xmr.*").ToHashSet();
            // Negative delay: kill while training; otherwise count from the moment the save's new temporary holds bytes
            // (the empty probe file the CLI writes before training, to check the folder is writable, does not count).
            if (SaveKill.Run(Args(train, model), () => new DirectoryInfo(dir.Path).EnumerateFiles(".model.xmr.*")
                    .Any(f => !earlier.Contains(f.FullName) && f.Length > 0), delayMs))
                killedMidSave++;

            byte[] now = File.ReadAllBytes(model);
            bool isOld = now.AsSpan().SequenceEqual(oldBytes), isNew = now.AsSpan().SequenceEqual(newBytes);
            Assert.That(isOld || isNew, $"killed {delayMs} ms into the save: the file is neither the old nor the new model ({now.Length} bytes)");
            Assert.That(() => XLinearModelFile.Load(model), Throws.Nothing, "loads with every checksum verified");
            if (isOld) asOld++;
            else asNew++;
        }
        TestContext.Out.WriteLine($"xmr train: {asOld + asNew} kills ({killedMidSave} during the save): {asOld} old model, {asNew} new model, 0 corrupt");
        Assert.That(killedMidSave, Is.GreaterThan(0), "no kill landed inside a save; the test proved nothing");

        // A later save is not tripped up by whatever the killed ones left, and the result is the new model.
        Assert.That(XmrCli.WaitForExit(XmrCli.Start(Args(train, model))), Is.Zero);
        Assert.That(File.ReadAllBytes(model), Is.EqualTo(newBytes));
    }
}
