using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Synthetic;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>Dense .npy features for train and predict, and files read side by side (<c>-x dense.npy,tfidf.npz</c>).</summary>
public class DenseInputCliTests
{
    private static (string Dir, CsrMatrix X, CsrMatrix Y) Data(TempDir dir)
    {
        var (x, y) = SyntheticXmrGenerator.Generate(new SyntheticXmrOptions { Instances = 240, Features = 120, Labels = 20, Seed = 6 });
        NpzFormat.Write(dir.File("X.npz"), x);
        NpzFormat.Write(dir.File("Y.npz"), y);
        NpyFormat.Write(dir.File("X.npy"), ModelFileAssert.Dense(x));
        return (dir.Path, x, y);
    }

    [Test]
    public void ADenseNpyTrainsAndPredictsAsTheSameSparseMatrix()
    {
        using var dir = new TempDir();
        Data(dir);
        foreach (var kind in new[] { "npz", "npy" })
        {
            var run = Xmr.Run("train", "-x", dir.File($"X.{kind}"), "-y", dir.File("Y.npz"), "-m", dir.File($"{kind}.xmr"), "--preset", "pecos", "--max-leaf-size", "4", "--threads", "1");
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            run = Xmr.Run("predict", "-x", dir.File($"X.{kind}"), "-m", dir.File($"{kind}.xmr"), "-o", dir.File($"{kind}-pred.npz"));
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        }
        var a = XLinearModelFile.Load(dir.File("npz.xmr"));
        var b = XLinearModelFile.Load(dir.File("npy.xmr"));
        for (int t = 0; t < a.Weights.Count; t++) Assert.That(b.Weights[t].Values.ToArray(), Is.EqualTo(a.Weights[t].Values.ToArray()), $"level {t}");
        Assert.That(NpzFormat.ReadCsr(dir.File("npy-pred.npz")).Values.ToArray(), Is.EqualTo(NpzFormat.ReadCsr(dir.File("npz-pred.npz")).Values.ToArray()));
    }

    [Test]
    public void FilesSideBySideAreOneRowEach()
    {
        using var dir = new TempDir();
        var (_, x, _) = Data(dir);
        // The dense block beside the sparse one: the model has both blocks' features.
        string both = $"{dir.File("X.npy")},{dir.File("X.npz")}";
        var run = Xmr.Run("train", "-x", both, "-y", dir.File("Y.npz"), "-m", dir.File("both.xmr"), "--preset", "pecos", "--threads", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(XLinearModelFile.Load(dir.File("both.xmr")).FeatureCount, Is.EqualTo(2 * x.Cols));
        run = Xmr.Run("predict", "-x", both, "-m", dir.File("both.xmr"), "-o", dir.File("p.npz"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(NpzFormat.ReadCsr(dir.File("p.npz")).Rows, Is.EqualTo(x.Rows));
    }

    [Test]
    public void MismatchedOrBrokenFilesNameTheFile()
    {
        using var dir = new TempDir();
        Data(dir);
        NpyFormat.Write(dir.File("short.npy"), new float[3, 5]);
        Xmr.AssertUserError(Xmr.Run("train", "-x", $"{dir.File("X.npz")},{dir.File("short.npy")}", "-y", dir.File("Y.npz"), "-m", dir.File("m.xmr")), "short.npy", "rows");
        dir.Write("broken.npy", "\x93NUMPY garbage");
        Xmr.AssertUserError(Xmr.Run("train", "-x", dir.File("broken.npy"), "-y", dir.File("Y.npz"), "-m", dir.File("m.xmr")), "broken.npy");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", dir.File("broken.npy"), "-m", CliData.Shared.Model, "-o", dir.File("p.npz")), "broken.npy");
    }
}
