using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary>
/// <c>xmr train --preset pecos</c> reproduces PECOS: the expectations of PECOS's own XR-Linear CLI test (test_cli), to
/// its tolerance of 1e-6, on its fixtures read where they lie (PECOS_SRC, default ../peers/pecos); skipped without them.
/// perf/pecos_cli_parity.sh runs the full list beside PECOS itself.
/// </summary>
public class PecosParityCliTests
{
    private const double Tolerance = 1e-6;

    [TestCase("10", null, "Yt_pred.npz")]
    [TestCase("2", "2", "P_nr_splits=2.npz")]
    [TestCase("2", "4", "P_nr_splits=4.npz")]
    public void PecosPresetPredictsPecossScores(string maxLeafSize, string? nrSplits, string expectedName)
    {
        string x = PecosSource.RequireXLinearFixture("X.npz"), y = PecosSource.RequireXLinearFixture("Y.npz");
        string xt = PecosSource.RequireXLinearFixture("Xt.npz"), expected = PecosSource.RequireXLinearFixture(expectedName);
        using var dir = new TempDir();
        string[] train = ["train", "-x", x, "-y", y, "-m", dir.File("m.xmr"), "--preset", "pecos", "--max-leaf-size", maxLeafSize];
        var run = Xmr.Run(nrSplits is null ? train : [.. train, "--nr-splits", nrSplits]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        run = Xmr.Run("predict", "-x", xt, "-m", dir.File("m.xmr"), "-o", dir.File("p.npz"), "--top-k", "20");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        AssertClose(NpzFormat.ReadCsr(dir.File("p.npz")), NpzFormat.ReadCsr(expected));
    }

    [Test]
    public void PecosPresetWithMatcherAwareNegativesPredictsPecossScores()
    {
        // test_cli: train -ns tfn+man -b 2, predict -pp sigmoid -b 4.
        string x = PecosSource.RequireXLinearFixture("X.npz"), y = PecosSource.RequireXLinearFixture("Y.npz");
        string xt = PecosSource.RequireXLinearFixture("Xt.npz"), expected = PecosSource.RequireXLinearFixture("Yt_pred_with_tfn+man.npz");
        using var dir = new TempDir();
        var run = Xmr.Run("train", "-x", x, "-y", y, "-m", dir.File("m.xmr"), "--preset", "pecos", "--max-leaf-size", "10",
            "--negatives", "tfn+man", "--beam-size", "2");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        run = Xmr.Run("predict", "-x", xt, "-m", dir.File("m.xmr"), "-o", dir.File("p.npz"), "--top-k", "20", "--post-processor", "sigmoid", "--beam-size", "4");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        AssertClose(NpzFormat.ReadCsr(dir.File("p.npz")), NpzFormat.ReadCsr(expected));
    }

    [Test]
    public void AnUnknownMiningPostProcessorIsRefusedByItsFlag()
    {
        using var dir = new TempDir();
        var run = Xmr.Run("train", "-x", CliData.Shared.Train, "-m", dir.File("m.xmr"), "--man-post-processor", "l3-hinges");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Err, Does.Contain("--man-post-processor").And.Contain("l3-hinges"));
        Assert.That(File.Exists(dir.File("m.xmr")), Is.False);
    }

    /// <summary>Equal shapes and every entry of either within the tolerance of the other's (absent entries are 0), as PECOS compares.</summary>
    private static void AssertClose(CsrMatrix got, CsrMatrix want)
    {
        Assert.That((got.Rows, got.Cols), Is.EqualTo((want.Rows, want.Cols)));
        double worst = 0;
        for (int r = 0; r < got.Rows; r++)
        {
            var dense = new double[got.Cols];
            var g = got.Row(r);
            for (int k = 0; k < g.Indices.Length; k++) dense[g.Indices[k]] += g.Values[k];
            var w = want.Row(r);
            for (int k = 0; k < w.Indices.Length; k++) dense[w.Indices[k]] -= w.Values[k];
            foreach (double d in dense) worst = Math.Max(worst, Math.Abs(d));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance));
    }
}
