using XmrEngine.Evaluation;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Evaluation;

public class XmcMetricsTests
{
    // Truth: row 0 = {0, 2}, row 1 = {1}, row 2 = {} (no labels).
    private static CsrMatrix Truth() => SparseOps.FromDense(new float[,]
    {
        { 1, 0, 1, 0, 0 },
        { 0, 1, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
    });

    // Predictions: row 0 ranks 0, 1, 2; row 1 ranks 3, 1; row 2 predicts 4 only.
    private static CsrMatrix Predicted() => SparseOps.FromDense(new float[,]
    {
        { 0.9f, 0.8f, 0.7f, 0, 0 },
        { 0, 0.1f, 0, 0.5f, 0 },
        { 0, 0, 0, 0, 1f },
    });

    [Test]
    public void PrecisionRecall_MatchHandComputation()
    {
        var m = XmcMetrics.Evaluate(Truth(), Predicted(), 3);
        // Matched counts per row at k = 1..3: row 0: 1, 1, 2; row 1: 0, 1, 1; row 2: 0, 0, 0.
        Assert.That(m.PrecisionAtK, Is.EqualTo(new[] { 1.0 / 3, 2.0 / 3 / 2, 3.0 / 3 / 3 }).Within(1e-12));
        // Recall: row 0 divides by 2 labels, row 1 by 1, row 2 by max(0, 1) = 1 and counts in the mean.
        Assert.That(m.RecallAtK, Is.EqualTo(new[] { 0.5 / 3, 1.5 / 3, 2.0 / 3 }).Within(1e-12));
        Assert.That(m.K, Is.EqualTo(3));
    }

    [Test]
    public void Ndcg_MatchesHandComputation()
    {
        var m = XmcMetrics.Evaluate(Truth(), Predicted(), 3);
        double l3 = 1 / Math.Log2(3), l4 = 1 / Math.Log2(4);
        double row0k2 = 1 / (1 + l3), row0k3 = (1 + l4) / (1 + l3);
        double row1k2 = l3, row1k3 = l3;
        Assert.That(m.NdcgAtK, Is.EqualTo(new[] { 1.0 / 3, (row0k2 + row1k2) / 3, (row0k3 + row1k3) / 3 }).Within(1e-12));
    }

    [Test]
    public void EqualScores_RankSmallerLabelFirst()
    {
        var truth = SparseOps.FromDense(new float[,] { { 0, 1, 0, 0 } });
        var pred = SparseOps.FromDense(new float[,] { { 0, 0.5f, 0, 0.5f } });
        Assert.That(XmcMetrics.Evaluate(truth, pred, 1).PrecisionAtK[0], Is.EqualTo(1.0));
        var pred2 = SparseOps.FromDense(new float[,] { { 0.5f, 0.5f, 0, 0 } });
        Assert.That(XmcMetrics.Evaluate(truth, pred2, 1).PrecisionAtK[0], Is.EqualTo(0.0));
    }

    [Test]
    public void NegativeScores_StillCountAsPredictions()
    {
        var truth = SparseOps.FromDense(new float[,] { { 0, 1, 0 } });
        var pred = new CsrMatrix(1, 3, [0, 2], [1, 2], [-0.5f, -2f]);
        var m = XmcMetrics.Evaluate(truth, pred, 2);
        Assert.That(m.PrecisionAtK, Is.EqualTo(new[] { 1.0, 0.5 }));
    }

    [Test]
    public void ShapeMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => XmcMetrics.Evaluate(Truth(), CsrMatrix.Empty(3, 4), 3));
        Assert.That(ex!.Message, Does.Contain("3x5").And.Contain("3x4"));
        Assert.Throws<ArgumentOutOfRangeException>(() => XmcMetrics.Evaluate(Truth(), Predicted(), 0));
    }

    [Test]
    public void Propensities_FollowJainFormula()
    {
        // 4 training rows; label counts 4, 1, 0.
        var train = SparseOps.FromDense(new float[,] { { 1, 1, 0 }, { 1, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 } });
        var p = XmcMetrics.Propensities(train);
        double c = (Math.Log(4) - 1) * Math.Pow(2.5, 0.55);
        double Expected(int n) => 1 / (1 + c * Math.Pow(n + 1.5, -0.55));
        Assert.That(p, Is.EqualTo(new[] { Expected(4), Expected(1), Expected(0) }).Within(1e-12));
        Assert.That(p[0], Is.GreaterThan(p[1]), "frequent labels have higher propensity");
    }

    [Test]
    public void PropensityScoredPrecision_MatchesHandComputation()
    {
        double[] prop = [0.5, 0.25, 1, 1, 1];
        var raw = XmcMetrics.PropensityScoredPrecision(Truth(), Predicted(), prop, 2);
        // k=1: row 0 hits label 0 (1/0.5 = 2); rows 1, 2 miss -> 2/3. k=2: row 0 (2+0)/2, row 1 (0+4)/2 -> 3/3.
        Assert.That(raw, Is.EqualTo(new[] { 2.0 / 3, 1.0 }).Within(1e-12));
        var normalized = XmcMetrics.PropensityScoredPrecision(Truth(), Predicted(), prop, 2, normalized: true);
        // Best: k=1 row 0 -> 2, row 1 -> 4; k=2 row 0 -> (2+1)/2, row 1 -> 4/2.
        Assert.That(normalized, Is.EqualTo(new[] { 2.0 / 6, 3.0 / 3.5 }).Within(1e-12));
        Assert.Throws<ArgumentException>(() => XmcMetrics.PropensityScoredPrecision(Truth(), Predicted(), prop.AsSpan(0, 4), 2));
    }

    [Test]
    public void PerfectPredictions_ScoreOne()
    {
        var truth = SparseOps.FromDense(new float[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        var m = XmcMetrics.Evaluate(truth, truth, 1);
        Assert.That(m.PrecisionAtK[0], Is.EqualTo(1.0));
        Assert.That(m.NdcgAtK[0], Is.EqualTo(1.0));
        Assert.That(m.ToString(), Does.Contain("prec   = 100.00"));
    }
}
