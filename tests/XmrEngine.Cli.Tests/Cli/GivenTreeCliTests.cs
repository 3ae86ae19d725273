using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr train -c</c> (PECOS's <c>-c</c>): training on a given clustering.</summary>
public class GivenTreeCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void TrainingOnTheTreeXmrBuiltGivesTheSameModel()
    {
        using var dir = new TempDir();
        string[] common = ["-x", Data.Train, "--preset", "pecos", "--nr-splits", "4", "--max-leaf-size", "8", "--threads", "1"];
        Assert.That(Xmr.Run(["train", .. common, "-m", dir.File("built.xmr")]).ExitCode, Is.EqualTo(0));
        var save = Xmr.Run("tree", "-m", dir.File("built.xmr"), "--save-chain", dir.File("chain"));
        Assert.That(save.ExitCode, Is.EqualTo(0), save.ToString());
        var run = Xmr.Run(["train", .. common, "-m", dir.File("given.xmr"), "-c", dir.File("chain")]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var built = XLinearModelFile.Load(dir.File("built.xmr"));
        var given = XLinearModelFile.Load(dir.File("given.xmr"));
        Assert.That(given.Chain.Depth, Is.EqualTo(built.Chain.Depth));
        for (int t = 0; t < built.Chain.Depth; t++)
        {
            Assert.That(given.Chain.Levels[t].Indices.ToArray(), Is.EqualTo(built.Chain.Levels[t].Indices.ToArray()), $"tree level {t}");
            Assert.That(given.Weights[t].Indices.ToArray(), Is.EqualTo(built.Weights[t].Indices.ToArray()), $"weights level {t}");
            Assert.That(given.Weights[t].Values.ToArray(), Is.EqualTo(built.Weights[t].Values.ToArray()), $"weights level {t}");
        }
        // Predictions are the same too.
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", dir.File("built.xmr"), "-o", dir.File("a.npz")).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", dir.File("given.xmr"), "-o", dir.File("b.npz")).ExitCode, Is.EqualTo(0));
        Assert.That(NpzFormat.ReadCsr(dir.File("b.npz")).Values.ToArray(), Is.EqualTo(NpzFormat.ReadCsr(dir.File("a.npz")).Values.ToArray()));
    }

    [Test]
    public void ALastLevelCodeMatrixTrainsOnItsClusters()
    {
        using var dir = new TempDir();
        Assert.That(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("built.xmr"), "--preset", "pecos", "--max-leaf-size", "3", "--threads", "1").ExitCode, Is.EqualTo(0));
        var built = XLinearModelFile.Load(dir.File("built.xmr"));
        NpzFormat.Write(dir.File("codes.npz"), built.Chain.Levels[^1].ToCsc());
        var run = Xmr.Run("train", "-x", Data.Train, "-m", dir.File("given.xmr"), "-c", dir.File("codes.npz"), "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var given = XLinearModelFile.Load(dir.File("given.xmr"));
        Assert.That(given.Chain.Levels[^1].Indices.ToArray(), Is.EqualTo(built.Chain.Levels[^1].Indices.ToArray()), "the labels sit in the given clusters");
        Assert.That(given.Chain.Levels[^2].Rows, Is.EqualTo(built.Chain.Levels[^1].Cols));
    }

    [Test]
    public void TreesThatDoNotFitAreUsageErrors()
    {
        using var dir = new TempDir();
        NpzFormat.Write(dir.File("small.npz"), ClusterChain.LevelFromParents([0, 1, 0], 2));
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "-c", dir.File("small.npz")), "small.npz", "3 labels");
        var codes = ClusterChain.LevelFromParents(Enumerable.Range(0, CliData.Labels).Select(l => l % 5).ToArray(), 5);
        NpzFormat.Write(dir.File("codes.npz"), codes);
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "-c", dir.File("codes.npz"), "--trees", "2"), "--trees");
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "-c", dir.File("codes.npz"), "--checkpoint", dir.File("ck")), "--checkpoint");
        Xmr.AssertUserError(Xmr.Run("train", "-x", Data.Train, "-m", dir.File("m.xmr"), "-c", dir.File("nowhere")), "nowhere");
    }
}
