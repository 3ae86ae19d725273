using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Cli;

/// <summary><c>xmr predict --selected-outputs</c> (PECOS's <c>-so</c>): scores for exactly the given pairs.</summary>
public class SelectedOutputsCliTests
{
    private static CliData Data => CliData.Shared;

    [Test]
    public void ScoringThePredictedPairsGivesBackThePredictedScores()
    {
        // PECOS's own check: predict, then score the prediction's pattern, and get the same matrix.
        using var dir = CliData.Scratch();
        string predicted = dir.File("p.npz"), rescored = dir.File("so.npz");
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-o", predicted, "--top-k", "7");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", predicted, "-o", rescored);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("pairs of"));
        var expected = NpzFormat.ReadCsr(predicted);
        var actual = NpzFormat.ReadCsr(rescored);
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()));
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()));
        Assert.That(actual.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()).Within(1e-6f));
    }

    [Test]
    public void LabelsTheBeamNeverReachesAreScoredToo()
    {
        using var dir = CliData.Scratch();
        int rows = Data.TestLabels.Rows;
        // Every label for every row: the full ranking, which a beam of 10 cannot return.
        var ptr = Enumerable.Range(0, rows + 1).Select(r => (long)r * CliData.Labels).ToArray();
        var ids = Enumerable.Range(0, rows).SelectMany(_ => Enumerable.Range(0, CliData.Labels)).ToArray();
        string all = dir.File("all.npz"), output = dir.File("o.npz");
        NpzFormat.Write(all, new CsrMatrix(rows, CliData.Labels, ptr, ids, new float[ids.Length]));
        var run = Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "--selected-outputs", all, "-o", output);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var scores = NpzFormat.ReadCsr(output);
        Assert.That(scores.Nnz, Is.EqualTo((long)rows * CliData.Labels));
        Assert.That(scores.Values.ToArray(), Has.All.GreaterThan(0f)); // l3-hinge path scores are positive
    }

    [Test]
    public void AnEnsembleScoresThePairsWithItsCombination()
    {
        using var dir = CliData.Scratch();
        string model = dir.File("ensemble.xmr"), predicted = dir.File("p.npz");
        Assert.That(Xmr.Run("train", "-x", Data.Train, "-m", model, "--trees", "2", "--preset", "pecos", "--threads", "1").ExitCode, Is.EqualTo(0));
        Assert.That(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-o", predicted).ExitCode, Is.EqualTo(0));
        foreach (var combination in new[] { "average", "max" })
        {
            var run = Xmr.Run("predict", "-x", Data.Test, "-m", model, "-so", predicted, "-o", dir.File($"{combination}.npz"), "--combination", combination);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(NpzFormat.ReadCsr(dir.File($"{combination}.npz")).Indices.ToArray(), Is.EqualTo(NpzFormat.ReadCsr(predicted).Indices.ToArray()));
        }
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", model, "-so", predicted, "-o", dir.File("r.npz"), "--combination", "rank"), "rank");
    }

    [Test]
    public void MismatchesAndBadFilesNameTheFile()
    {
        using var dir = CliData.Scratch();
        string wrongRows = dir.File("rows.npz"), wrongCols = dir.File("cols.npz"), broken = dir.Write("broken.npz", "not a zip");
        NpzFormat.Write(wrongRows, CsrMatrix.Empty(3, CliData.Labels));
        NpzFormat.Write(wrongCols, CsrMatrix.Empty(Data.TestLabels.Rows, CliData.Labels + 2));
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", wrongRows, "-o", dir.File("o.npz")), "rows.npz", "3 rows");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", wrongCols, "-o", dir.File("o.npz")), "cols.npz", "label columns");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", broken, "-o", dir.File("o.npz")), "broken.npz");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", wrongRows, "-o", dir.File("o.npz"), "--backend", "managed"), "--backend");
        Xmr.AssertUserError(Xmr.Run("predict", "-x", Data.Test, "-m", Data.Model, "-so", wrongRows, "-o", wrongRows), "-o");
    }
}
