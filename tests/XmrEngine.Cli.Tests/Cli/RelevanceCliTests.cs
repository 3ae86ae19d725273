using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr train -r R.npz --rel-mode --rel-norm</c>: PECOS's cost-sensitive training from the command line.</summary>
public class RelevanceCliTests
{
    /// <summary>Generated X.npz and Y.npz with one label per row (PECOS's fixture has that shape), and R = factor x Y.</summary>
    private static (string X, string Y) OneLabelData(TempDir dir)
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 300, Features = 400, Labels = 30, Seed = 4 });
        var ptr = new long[y.Rows + 1];
        var ids = new List<int>();
        for (int i = 0; i < y.Rows; i++)
        {
            if (y.RowLength(i) > 0) ids.Add(y.Row(i).Indices[0]);
            ptr[i + 1] = ids.Count;
        }
        var one = new CsrMatrix(y.Rows, y.Cols, ptr, ids.ToArray(), Enumerable.Repeat(1f, ids.Count).ToArray());
        NpzFormat.Write(dir.File("X.npz"), x);
        NpzFormat.Write(dir.File("Y.npz"), one);
        return (dir.File("X.npz"), dir.File("Y.npz"));
    }

    private static string Relevance(TempDir dir, string yPath, float factor, string name)
    {
        var y = NpzFormat.ReadCsr(yPath);
        NpzFormat.Write(dir.File(name), new CsrMatrix(y.Rows, y.Cols, y.Pointers.ToArray(), y.Indices.ToArray(), y.Values.ToArray().Select(v => v * factor).ToArray()));
        return dir.File(name);
    }

    [Test]
    public void CpTwoEqualsRelevanceTwoWithCpOne()
    {
        using var dir = new TempDir();
        var (x, y) = OneLabelData(dir);
        string r2 = Relevance(dir, y, 2, "R.npz");
        // --no-adapt: the costs are the subject here, so none is chosen on held-out rows.
        string[] common = ["-x", x, "-y", y, "--max-leaf-size", "2", "--nr-splits", "2", "--threads", "1", "--no-adapt"];
        var plain = Xmr.Run(["train", .. common, "-m", dir.File("plain.xmr"), "--Cp", "2"]);
        Assert.That(plain.ExitCode, Is.EqualTo(0), plain.ToString());
        var weighted = Xmr.Run(["train", .. common, "-m", dir.File("weighted.xmr"), "-r", r2, "--rel-mode", "induce", "--rel-norm", "no-norm"]);
        Assert.That(weighted.ExitCode, Is.EqualTo(0), weighted.ToString());
        ModelFileAssert.SameWeights(dir.File("plain.xmr"), dir.File("weighted.xmr"), 1e-9);
        // max norm scales every relevance back to 1: Cp 1 without relevance.
        Assert.That(Xmr.Run(["train", .. common, "-m", dir.File("one.xmr"), "--Cp", "1"]).ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run(["train", .. common, "-m", dir.File("max.xmr"), "-r", r2, "--rel-norm", "max"]).ExitCode, Is.EqualTo(0));
        ModelFileAssert.SameWeights(dir.File("one.xmr"), dir.File("max.xmr"), 1e-9);
    }

    [Test]
    public void RelevanceWeightedTraining_ChoosesItsCostsOnHeldOutRows_AndTheQualityPresetTunes()
    {
        using var dir = new TempDir();
        var (x, y) = OneLabelData(dir);
        string r = Relevance(dir, y, 3, "R.npz");
        var run = Xmr.Run("train", "-x", x, "-y", y, "-m", dir.File("m.xmr"), "-r", r, "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Err, Does.Contain("cost: Cp").And.Contain("training rows held out"), "the relevance rows follow the held-out split");
        var quality = Xmr.Run("train", "-x", x, "-y", y, "-m", dir.File("q.xmr"), "-r", r, "--threads", "1", "--preset", "quality");
        Assert.That(quality.ExitCode, Is.EqualTo(0), quality.ToString());
    }

    [Test]
    public void BadRelevanceFilesAreUsageErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        var (x, y) = OneLabelData(dir);
        var yMatrix = NpzFormat.ReadCsr(y);
        var moved = new CsrMatrix(yMatrix.Rows, yMatrix.Cols, yMatrix.Pointers.ToArray(),
            yMatrix.Indices.ToArray().Select((l, k) => k == 0 ? (l + 1) % yMatrix.Cols : l).ToArray(), yMatrix.Values.ToArray());
        NpzFormat.Write(dir.File("moved.npz"), moved);
        string zero = Relevance(dir, y, 0, "zero.npz");
        string broken = dir.Write("broken.npz", "PK not really");
        string[] common = ["train", "-x", x, "-y", y, "-m", dir.File("m.xmr")];
        Xmr.AssertUserError(Xmr.Run([.. common, "-r", dir.File("moved.npz")]), "moved.npz", "Row 0");
        Xmr.AssertUserError(Xmr.Run([.. common, "-r", zero]), "zero.npz", "positive");
        Xmr.AssertUserError(Xmr.Run([.. common, "-r", broken]), "broken.npz");
        Xmr.AssertUserError(Xmr.Run([.. common, "--rel-mode", "ranker-only"]), "-r");
        Assert.That(Xmr.Run([.. common, "--rel-norm", "l3"]).ExitCode, Is.EqualTo(2));
    }
}
