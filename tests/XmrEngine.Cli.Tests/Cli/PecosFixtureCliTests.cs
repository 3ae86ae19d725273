using XmrEngine.IO;
using XmrEngine.Persistence;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// Expectations of PECOS's own XR-Linear CLI test that hold for xmr, on PECOS's fixtures read where they lie (PECOS_SRC,
/// default ../peers/pecos); skipped without them. perf/pecos_cli_parity.sh runs the whole list, PECOS included.
/// </summary>
public class PecosFixtureCliTests
{
    [Test]
    public void CostSensitiveCpTwoEqualsRelevanceTwoOnPecosFixture()
    {
        // test_cost_sensitive: one positive per row, so Cp 2 without R equals Cp 1 with R = 2 Y (induce, no-norm).
        string x = PecosSource.RequireXLinearFixture("X.npz"), y = PecosSource.RequireXLinearFixture("Y.npz");
        using var dir = new TempDir();
        var labels = NpzFormat.ReadCsr(y).Binarize();
        NpzFormat.Write(dir.File("R.npz"), new CsrMatrix(labels.Rows, labels.Cols, labels.Pointers.ToArray(), labels.Indices.ToArray(), labels.Values.ToArray().Select(v => 2 * v).ToArray()));
        string[] common = ["train", "-x", x, "-y", y, "--preset", "pecos", "--max-leaf-size", "2", "--threads", "1"];
        Assert.That(Xmr.Run([.. common, "-m", dir.File("cp2.xmr"), "--Cp", "2"]).ExitCode, Is.EqualTo(0));
        var run = Xmr.Run([.. common, "-m", dir.File("r2.xmr"), "-r", dir.File("R.npz"), "--rel-mode", "induce", "--rel-norm", "no-norm"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        ModelFileAssert.SameWeights(dir.File("cp2.xmr"), dir.File("r2.xmr"), 1e-9);
    }

    [Test]
    public void DenseCopiesOfPecosFixturesTrainAndPredictAsTheSparseOnes()
    {
        // test_cli's second pass: the same commands on X.npz and Xt.npz saved as dense .npy.
        string x = PecosSource.RequireXLinearFixture("X.npz"), y = PecosSource.RequireXLinearFixture("Y.npz"), xt = PecosSource.RequireXLinearFixture("Xt.npz");
        using var dir = new TempDir();
        NpyFormat.Write(dir.File("X.npy"), ModelFileAssert.Dense(NpzFormat.ReadCsr(x)));
        NpyFormat.Write(dir.File("Xt.npy"), ModelFileAssert.Dense(NpzFormat.ReadCsr(xt)));
        foreach (var (train, test, name) in new[] { (x, xt, "sparse"), (dir.File("X.npy"), dir.File("Xt.npy"), "dense") })
        {
            Assert.That(Xmr.Run("train", "-x", train, "-y", y, "-m", dir.File($"{name}.xmr"), "--preset", "pecos", "--max-leaf-size", "10", "--threads", "1").ExitCode, Is.EqualTo(0));
            Assert.That(Xmr.Run("predict", "-x", test, "-m", dir.File($"{name}.xmr"), "-o", dir.File($"{name}.npz"), "--top-k", "20").ExitCode, Is.EqualTo(0));
            // Select inference on PECOS's expected pattern answers exactly that pattern.
            string expected = PecosSource.RequireXLinearFixture("Yt_pred.npz");
            Assert.That(Xmr.Run("predict", "-x", test, "-m", dir.File($"{name}.xmr"), "-so", expected, "-o", dir.File($"{name}-so.npz")).ExitCode, Is.EqualTo(0));
            Assert.That(NpzFormat.ReadCsr(dir.File($"{name}-so.npz")).Indices.ToArray(), Is.EqualTo(NpzFormat.ReadCsr(expected).Indices.ToArray()));
        }
        ModelFileAssert.SameWeights(dir.File("sparse.xmr"), dir.File("dense.xmr"), 0);
        Assert.That(NpzFormat.ReadCsr(dir.File("dense.npz")).Values.ToArray(), Is.EqualTo(NpzFormat.ReadCsr(dir.File("sparse.npz")).Values.ToArray()));
    }

}
