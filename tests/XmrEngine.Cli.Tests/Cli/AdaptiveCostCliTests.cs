using XmrEngine.Persistence;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// The fast and balanced presets choose Cp = Cn on held-out training rows (`xmr train` with no cost flags): the choice is
/// recorded in the model, deterministic for a seed, and given flags or --no-adapt turn it off.
/// </summary>
public class AdaptiveCostCliTests
{
    private static CliData Data => CliData.Shared;

    private static (Training.TrainingRecord Record, byte[] Bytes, CliRun Run) Trained(string model, params string[] extra)
    {
        var run = Xmr.Run(["train", "-x", Data.Train, "-m", model, "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1", .. extra]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        XLinearModelFile.Load(model, out var metadata);
        return (metadata.Training!, File.ReadAllBytes(model), run);
    }

    [Test]
    public void Balanced_ChoosesTheCostOnHeldOutRows_RecordsTheChoice_AndIsDeterministic()
    {
        using var dir = CliData.Scratch();
        var (record, bytes, run) = Trained(dir.File("a.xmr"));
        Assert.That(record.Choice, Does.Contain("held out").And.Contain("0.35/0.35: ").And.Contain("1/1: ").And.Contain("4/1: ").And.Contain("of 700 training rows"), record.Choice);
        Assert.That((record.Cp, record.Cn), Is.EqualTo((0.35, 0.35)).Or.EqualTo((1.0, 1.0)).Or.EqualTo((4.0, 1.0)));
        var c = System.Globalization.CultureInfo.InvariantCulture;
        Assert.That(record.Choice, Does.StartWith($"Cp {record.Cp.ToString(c)}, Cn {record.Cn.ToString(c)} chosen"));
        Assert.That(run.Err, Does.Contain("cost: Cp "), "the choice is printed");
        var again = Trained(dir.File("b.xmr"));
        Assert.That(again.Bytes, Is.EqualTo(bytes), "same data and seed: same choice, same model");
        var fast = Trained(dir.File("fast.xmr"), "--preset", "fast");
        Assert.That(fast.Record.Choice, Does.Contain("held out"), "the fast preset chooses too");
    }

    [Test]
    public void AGivenCost_NoAdapt_AndThePecosPreset_TrainWhatTheySay()
    {
        using var dir = CliData.Scratch();
        var given = Trained(dir.File("cp.xmr"), "--Cp", "1");
        Assert.That((given.Record.Choice, given.Record.Cp, given.Record.Cn), Is.EqualTo(((string?)null, 1.0, 1.0)));
        var cn = Trained(dir.File("cn.xmr"), "--Cn", "0.5");
        Assert.That((cn.Record.Choice, cn.Record.Cp, cn.Record.Cn), Is.EqualTo(((string?)null, 1.0, 0.5)));
        var off = Trained(dir.File("off.xmr"), "--no-adapt");
        Assert.That((off.Record.Choice, off.Record.Cp), Is.EqualTo(((string?)null, 1.0)));
        Assert.That(off.Run.Err, Does.Not.Contain("cost: "));
        var pecos = Trained(dir.File("pecos.xmr"), "--preset", "pecos");
        Assert.That((pecos.Record.Choice, pecos.Record.Cp), Is.EqualTo(((string?)null, 1.0)));
    }

    [Test]
    public void TheChoiceUsesOnlyTheTrainingRows()
    {
        // The held-out rows are a seeded 20% slice of the training file (the verb has no test input at all).
        using var dir = CliData.Scratch();
        var run = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        XLinearModelFile.Load(dir.File("m.xmr"), out var metadata);
        Assert.That(metadata.Training!.Choice, Does.Contain("140 of 700 training rows held out (seed 0)"));
        var seeded = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("s.xmr"), "--threads", "1", "--seed", "5");
        Assert.That(seeded.ExitCode, Is.EqualTo(0), seeded.ToString());
        XLinearModelFile.Load(dir.File("s.xmr"), out var other);
        Assert.That(other.Training!.Choice, Does.Contain("(seed 5)"), "the slice follows --seed");
    }
}
