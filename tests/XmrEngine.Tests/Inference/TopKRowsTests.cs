using XmrEngine.Inference;

namespace XmrEngine.Tests.Inference;

/// <summary>The one per-row top-k container and CSR packer.</summary>
public class TopKRowsTests
{
    [Test]
    public void CommitSortsByLabelAndCommitRankedKeepsTheOrderWritten()
    {
        using var rows = new TopKRows(3, 4);
        int[] labels = [7, 2, 5];
        float[] scores = [0.9f, 0.8f, 0.1f];
        labels.CopyTo(rows.Labels(0));
        scores.CopyTo(rows.Scores(0));
        rows.Commit(0, 3);
        labels.CopyTo(rows.Labels(2));
        scores.CopyTo(rows.Scores(2));
        rows.CommitRanked(2, 2);

        Assert.That(rows.CommittedLabels(0).ToArray(), Is.EqualTo(new[] { 2, 5, 7 }));
        Assert.That(rows.CommittedScores(0).ToArray(), Is.EqualTo(new[] { 0.8f, 0.1f, 0.9f }));
        Assert.That(rows.CommittedLabels(1).Length, Is.EqualTo(0), "an uncommitted row is empty, whatever the pooled buffer held");
        Assert.That(rows.CommittedLabels(2).ToArray(), Is.EqualTo(new[] { 7, 2 }));

        var (ptr, packedLabels, packedScores) = rows.Pack();
        Assert.That(ptr, Is.EqualTo(new long[] { 0, 3, 3, 5 }));
        Assert.That(packedLabels, Is.EqualTo(new[] { 2, 5, 7, 7, 2 }));
        Assert.That(packedScores, Is.EqualTo(new[] { 0.8f, 0.1f, 0.9f, 0.9f, 0.8f }));
    }

    [Test]
    public void ToCsrGivesTheScoreMatrixAndSurvivesDisposal()
    {
        var rows = new TopKRows(2, 2);
        rows.Labels(0)[0] = 4;
        rows.Scores(0)[0] = 0.5f;
        rows.Commit(0, 1);
        rows.Commit(1, 0);
        var csr = rows.ToCsr(10);
        rows.Dispose();
        rows.Dispose(); // idempotent: the arrays go back to the pool once
        Assert.That(csr.Rows, Is.EqualTo(2));
        Assert.That(csr.Cols, Is.EqualTo(10));
        Assert.That(csr.Row(0).Indices.ToArray(), Is.EqualTo(new[] { 4 }));
        Assert.That(csr.Row(0).Values.ToArray(), Is.EqualTo(new[] { 0.5f }));
        Assert.That(csr.RowLength(1), Is.EqualTo(0));
    }

    [Test]
    public void TooManyEntriesNameTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TopKRows(100_000, 1_000_000, "BeamSize"));
        Assert.That(e!.ParamName, Is.EqualTo("BeamSize"));
    }
}
