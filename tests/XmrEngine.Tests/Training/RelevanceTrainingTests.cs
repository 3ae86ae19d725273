using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Cost-sensitive training (<see cref="XLinearTrainOptions.Relevance"/>, PECOS's R / rel_mode / rel_norm): a positive's
/// relevance multiplies its cost, so scaling every relevance is scaling Cp.
/// </summary>
public class RelevanceTrainingTests
{
    /// <summary>Generated data cut to one label per row (rows without labels stay empty), as PECOS's fixture has.</summary>
    private static (CsrMatrix X, CsrMatrix Y) OneLabelPerRow(int seed)
    {
        var (x, y) = SyntheticData.Make(400, 300, 40, seed);
        var ptr = new long[y.Rows + 1];
        var ids = new List<int>();
        for (int i = 0; i < y.Rows; i++)
        {
            if (y.RowLength(i) > 0) ids.Add(y.Row(i).Indices[0]);
            ptr[i + 1] = ids.Count;
        }
        return (x, new CsrMatrix(y.Rows, y.Cols, ptr, ids.ToArray(), Enumerable.Repeat(1f, ids.Count).ToArray()));
    }

    private static CsrMatrix Scaled(CsrMatrix y, float factor) =>
        new(y.Rows, y.Cols, y.Pointers.ToArray(), y.Indices.ToArray(), y.Values.ToArray().Select(v => v * factor).ToArray());

    private static ClusterChain Tree(CsrMatrix x, CsrMatrix y) =>
        XLinearTrainer.BuildTree(x, y, new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 2, MaxLeafSize = 4 } });

    private static void AssertSameWeights(XLinearModel a, XLinearModel b, double tolerance, string context)
    {
        Assert.That(a.Weights, Has.Count.EqualTo(b.Weights.Count));
        for (int t = 0; t < a.Weights.Count; t++)
        {
            Assert.That(a.Weights[t].Pointers.ToArray(), Is.EqualTo(b.Weights[t].Pointers.ToArray()), $"{context}: level {t} pattern");
            Assert.That(a.Weights[t].Indices.ToArray(), Is.EqualTo(b.Weights[t].Indices.ToArray()), $"{context}: level {t} rows");
            var va = a.Weights[t].Values.ToArray();
            var vb = b.Weights[t].Values.ToArray();
            for (int k = 0; k < va.Length; k++)
                Assert.That((double)va[k], Is.EqualTo(vb[k]).Within(tolerance), $"{context}: level {t} value {k}");
        }
    }

    [TestCase(SolverType.L2Hinge)]
    [TestCase(SolverType.L1Hinge)]
    [TestCase(SolverType.Logistic)]
    public void CpTwoWithoutRelevanceEqualsCpOneWithRelevanceTwo(SolverType solver)
    {
        var (x, y) = OneLabelPerRow(5);
        var chain = Tree(x, y);
        Assert.That(chain.Depth, Is.GreaterThan(2), "the tree has upper levels, where relevance is induced");
        var plain = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Solver = solver, Cp = 2, Threshold = 0 });
        var weighted = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions
        {
            Solver = solver, Cp = 1, Threshold = 0,
            Relevance = new RelevanceWeights(Scaled(y, 2), RelevanceMode.Induce, RelevanceNorm.None),
        });
        AssertSameWeights(plain, weighted, 1e-9, $"{solver}");
    }

    [Test]
    public void TheTreeTheTrainerBuildsTrainsTheSameWay()
    {
        var (x, y) = OneLabelPerRow(6);
        var options = new XLinearTrainOptions { Indexer = new HierarchicalKMeansOptions { NrSplits = 4, MaxLeafSize = 3 } };
        var plain = XLinearTrainer.Train(x, y, options with { Cp = 2 });
        var weighted = XLinearTrainer.Train(x, y, options with { Relevance = new RelevanceWeights(Scaled(y, 2)) });
        AssertSameWeights(plain, weighted, 1e-9, "built tree");
    }

    [Test]
    public void RankerOnlyWeighsTheLastLevelAlone()
    {
        var (x, y) = OneLabelPerRow(7);
        var chain = Tree(x, y);
        var plain = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Cp = 1 });
        var doubled = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Cp = 2 });
        var ranker = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = new RelevanceWeights(Scaled(y, 2), RelevanceMode.RankerOnly) });
        for (int t = 0; t < chain.Depth - 1; t++)
            Assert.That(ranker.Weights[t].Values.ToArray(), Is.EqualTo(plain.Weights[t].Values.ToArray()), $"level {t} trains as without relevance");
        Assert.That(ranker.Weights[^1].Values.ToArray(), Is.EqualTo(doubled.Weights[^1].Values.ToArray()), "the last level trains as Cp 2");
    }

    [TestCase(RelevanceNorm.L1)]
    [TestCase(RelevanceNorm.L2)]
    [TestCase(RelevanceNorm.Max)]
    public void ANormScalesEachRowToOne(RelevanceNorm norm)
    {
        // One label per row: every norm scales the single relevance 5 to 1, which is training without relevance.
        var (x, y) = OneLabelPerRow(8);
        var chain = Tree(x, y);
        var plain = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions());
        var normed = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = new RelevanceWeights(Scaled(y, 5), RelevanceMode.Induce, norm) });
        AssertSameWeights(plain, normed, 1e-9, $"{norm}");
    }

    [Test]
    public void InducedRelevanceSumsTheLabelsUnderEachNodeThenNormalises()
    {
        // Labels 0,1 under node 0 and labels 2,3 under node 1. Row 0: labels 0 (rel 1), 1 (rel 3), 2 (rel 4).
        var chain = new ClusterChain([
            ClusterChain.LevelFromParents([0, 0], 1),
            ClusterChain.LevelFromParents([0, 0, 1, 1], 2),
        ]);
        var r = new CsrMatrix(2, 4, [0, 3, 4], [0, 1, 2, 3], [1f, 3f, 4f, 2f]);
        var nodeOfLabel = new[] { new[] { 0, 0, 1, 1 }, new[] { 0, 1, 2, 3 } };
        var none = RelevanceChain.Build(r, new RelevanceWeights(r), nodeOfLabel, [2, 4]);
        Assert.That(none[0]!.Of(0).ToArray(), Is.EqualTo(new[] { 4f }), "node 0: row 0's 1 + 3");
        Assert.That(none[0]!.Of(1).ToArray(), Is.EqualTo(new[] { 4f, 2f }), "node 1: row 0's 4, row 1's 2");
        Assert.That(none[1]!.Of(1).ToArray(), Is.EqualTo(new[] { 3f }));
        var l1 = RelevanceChain.Build(r, new RelevanceWeights(r, RelevanceMode.Induce, RelevanceNorm.L1), nodeOfLabel, [2, 4]);
        Assert.That(l1[0]!.Of(0).ToArray(), Is.EqualTo(new[] { 0.5f }), "level 0, row 0: 4 / (4 + 4)");
        Assert.That(l1[1]!.Of(2).ToArray(), Is.EqualTo(new[] { 0.5f }), "labels, row 0: 4 / 8");
        var max = RelevanceChain.Build(r, new RelevanceWeights(r, RelevanceMode.Induce, RelevanceNorm.Max), nodeOfLabel, [2, 4]);
        Assert.That(max[1]!.Of(0).ToArray(), Is.EqualTo(new[] { 0.25f }), "labels, row 0: 1 / 4");
        var ones = RelevanceChain.Build(r, new RelevanceWeights(null), nodeOfLabel, [2, 4]);
        Assert.That(ones[0]!.Of(0).ToArray(), Is.EqualTo(new[] { 2f }), "without values, a node counts the row's labels under it");
        var ranker = RelevanceChain.Build(r, new RelevanceWeights(r, RelevanceMode.RankerOnly), nodeOfLabel, [2, 4]);
        Assert.That(ranker[0], Is.Null);
    }

    [Test]
    public void RelevanceOffYsPositivesOrNotPositiveIsRefused()
    {
        var (x, y) = OneLabelPerRow(9);
        var chain = Tree(x, y);
        // Moved: row 0's relevance on another label than its positive.
        int label = y.Row(0).Indices[0];
        var moved = new CsrMatrix(y.Rows, y.Cols, y.Pointers.ToArray(), y.Indices.ToArray().Select((l, k) => k == 0 ? (label + 1) % y.Cols : l).ToArray(), y.Values.ToArray());
        var e = Assert.Throws<ArgumentException>(() => XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = new RelevanceWeights(moved) }));
        Assert.That(e!.Message, Does.Contain("Row 0"));
        Assert.Throws<ArgumentException>(() => XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = new RelevanceWeights(CsrMatrix.Empty(y.Rows, y.Cols + 1)) }));
        Assert.Throws<ArgumentException>(() => new RelevanceWeights(Scaled(y, -1)));
        Assert.Throws<ArgumentException>(() => new RelevanceWeights(Scaled(y, 0)));
    }

    [Test]
    public void TheNativeBackendTrainsTheManagedModel()
    {
        if (!KernelRegistry.IsAvailable(KernelBackend.Native, out var why)) Assert.Ignore($"native backend unavailable: {why}");
        var (x, y) = SyntheticData.Make(300, 200, 30, 10);
        var chain = Tree(x, y);
        var relevance = new RelevanceWeights(Scaled(y, 3), RelevanceMode.Induce, RelevanceNorm.L2);
        var managed = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = relevance });
        var native = XLinearTrainer.Train(x, y, chain, new XLinearTrainOptions { Relevance = relevance, Kernels = KernelRegistry.Get(KernelBackend.Native) });
        AssertSameWeights(managed, native, 0, "native");
    }
}
