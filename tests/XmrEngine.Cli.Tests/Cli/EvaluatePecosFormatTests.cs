using XmrEngine.Cli.Commands.Xr;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr evaluate --format pecos</c>: the bytes PECOS's evaluate prints.</summary>
public class EvaluatePecosFormatTests
{
    private static CsrMatrix Dense(float[,] m)
    {
        var builder = new List<(int Row, int Col, float Value)>();
        for (int r = 0; r < m.GetLength(0); r++)
            for (int c = 0; c < m.GetLength(1); c++)
                if (m[r, c] != 0) builder.Add((r, c, m[r, c]));
        var ptr = new long[m.GetLength(0) + 1];
        foreach (var e in builder) ptr[e.Row + 1]++;
        for (int r = 0; r < m.GetLength(0); r++) ptr[r + 1] += ptr[r];
        return new CsrMatrix(m.GetLength(0), m.GetLength(1), ptr, builder.Select(e => e.Col).ToArray(), builder.Select(e => e.Value).ToArray());
    }

    [Test]
    public void AHandComputedCasePrintsPecosLines()
    {
        // Row 0: truth {0, 2}, ranked 0, 1, 3: one hit at rank 1. Row 1: truth {1}, ranked 1 and 2 tied
        // (smaller id first), then 0: one hit at rank 1. Row 2: no truth. So 2 hits at every k out of 3 rows:
        // P@k = 2 / (3k) and R@k = (1/2 + 1 + 0) / 3 = 50%.
        using var dir = new TempDir();
        string truth = dir.File("Yt.npz"), pred = dir.File("P.npz");
        NpzFormat.Write(truth, Dense(new float[,] { { 1, 0, 1, 0, 0 }, { 0, 1, 0, 0, 0 }, { 0, 0, 0, 0, 0 } }));
        NpzFormat.Write(pred, Dense(new float[,] { { 0.9f, 0.8f, 0, 0.1f, 0 }, { 0.2f, 0.7f, 0.7f, 0, 0 }, { 0, 0, 0, 0, 0.5f } }));
        var run = Xmr.Run("evaluate", "-y", truth, "-p", pred, "--format", "pecos", "-k", "4");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Is.EqualTo("==== evaluation results ====\nprec   = 66.67 33.33 22.22 16.67\nrecall = 50.00 50.00 50.00 50.00\n"));
    }

    [Test]
    public void PecosFormatReportsTenRanksByDefaultEvenPastTheLabelCount()
    {
        using var dir = new TempDir();
        string truth = dir.File("Yt.npz"), pred = dir.File("P.npz");
        NpzFormat.Write(truth, Dense(new float[,] { { 0, 1, 0 }, { 1, 0, 0 } }));
        NpzFormat.Write(pred, Dense(new float[,] { { 0, 0.5f, 0 }, { 0.25f, 0, 0 } }));
        var run = Xmr.Run("evaluate", "-y", truth, "-p", pred, "--format", "pecos");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Is.EqualTo("==== evaluation results ====\n"
            + "prec   = 100.00 50.00 33.33 25.00 20.00 16.67 14.29 12.50 11.11 10.00\n"
            + "recall = 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00\n"));
    }

    [TestCase(0.00125, "0.12")] // 100 * v is exactly 0.125: Python rounds the tie to even
    [TestCase(0.00375, "0.38")]
    [TestCase(0.00625, "0.62")]
    [TestCase(2.0 / 3, "66.67")]
    [TestCase(0.99995, "100.00")]
    [TestCase(0.0, "0.00")]
    public void PercentRoundsAsPythonFormatDoes(double value, string expected) =>
        Assert.That(PecosEvaluationText.Percent(value), Is.EqualTo(expected));

    [Test]
    public void AnUnknownFormatIsAUsageError()
    {
        using var dir = new TempDir();
        string truth = dir.File("Yt.npz");
        NpzFormat.Write(truth, Dense(new float[,] { { 1 } }));
        var run = Xmr.Run("evaluate", "-y", truth, "-p", truth, "--format", "csv");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }

    [Test]
    public void PecosOwnFixturesGiveTheTextItsCliTestExpects()
    {
        string truth = PecosSource.RequireXLinearFixture("Yt.npz");
        string pred = PecosSource.RequireXLinearFixture("Yt_pred.npz");
        var run = Xmr.Run("evaluate", "-y", truth, "-p", pred, "--format", "pecos");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Is.EqualTo("==== evaluation results ====\n"
            + "prec   = 100.00 50.00 33.33 25.00 20.00 16.67 14.29 12.50 11.11 10.00\n"
            + "recall = 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00\n"));
    }
}
