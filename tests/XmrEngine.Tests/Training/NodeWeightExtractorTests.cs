using XmrEngine.Kernels;
using XmrEngine.Training;

namespace XmrEngine.Tests.Training;

public class NodeWeightExtractorTests
{
    private static SolverWorkspace Workspace(int d, (int Feature, float Value)[] weights, double bias)
    {
        var ws = new SolverWorkspace(d);
        ws.BeginProblem();
        // Touch features in a scrambled order, including some that stay zero.
        ws.MarkFeatures(weights.Select(w => w.Feature).Reverse().ToArray());
        foreach (var (f, v) in weights) ws.W[f] = v;
        ws.B = bias;
        return ws;
    }

    [Test]
    public void KeepsLargeWeightsSortedWithBiasLast()
    {
        var ws = Workspace(10, [(7, 0.5f), (2, -0.3f), (5, 0.05f), (9, 0f), (0, -0.1f)], bias: -0.7);
        var (rows, vals) = NodeWeightExtractor.Extract(ws, 10, hasBias: true, threshold: 0.1f, maxNonzeros: 0);
        Assert.That(rows, Is.EqualTo(new[] { 0, 2, 7, 10 }));
        Assert.That(vals, Is.EqualTo(new[] { -0.1f, -0.3f, 0.5f, -0.7f }));
        Assert.That(ws.W, Is.All.EqualTo(0f));
        Assert.That(ws.B, Is.EqualTo(0));
        Assert.That(ws.TouchedCount, Is.EqualTo(5), "the touched set stays for the next sibling");
        ws.BeginProblem();
        Assert.That(ws.TouchedCount, Is.EqualTo(0));
        // Marks left over would make MarkFeatures skip these features.
        ws.MarkFeatures([7, 2, 5, 9, 0]);
        Assert.That(ws.TouchedCount, Is.EqualTo(5), "a new problem forgets the marks");
    }

    [Test]
    public void ZeroThresholdStillDropsExactZerosAndNoBiasMeansNoBiasRow()
    {
        var ws = Workspace(6, [(1, 0f), (3, 1e-6f)], bias: 0.9);
        var (rows, vals) = NodeWeightExtractor.Extract(ws, 6, hasBias: false, threshold: 0f, maxNonzeros: 0);
        Assert.That(rows, Is.EqualTo(new[] { 3 }));
        Assert.That(vals, Is.EqualTo(new[] { 1e-6f }));
    }

    [Test]
    public void CapKeepsLargestMagnitudesIncludingBias()
    {
        var ws = Workspace(8, [(1, 0.2f), (3, -0.9f), (4, 0.4f), (6, 0.4f)], bias: 0.5);
        var (rows, vals) = NodeWeightExtractor.Extract(ws, 8, hasBias: true, threshold: 0.1f, maxNonzeros: 3);
        // |w|: 0.9 (3), 0.5 (bias), 0.4 (4), 0.4 (6): the tie goes to the lower row.
        Assert.That(rows, Is.EqualTo(new[] { 3, 4, 8 }));
        Assert.That(vals, Is.EqualTo(new[] { -0.9f, 0.4f, 0.5f }));
        Assert.That(ws.W, Is.All.EqualTo(0f));
    }

    [Test]
    public void MostFeaturesTouchedGivesSortedSurvivors()
    {
        // 12 of 16 features touched, in descending order: only the survivors get sorted.
        var weights = Enumerable.Range(0, 12).Select(j => (15 - j, (j % 3 == 0 ? -1f : 1f) * (0.05f * j))).ToArray();
        var ws = Workspace(16, weights, bias: 0);
        var (rows, vals) = NodeWeightExtractor.Extract(ws, 16, hasBias: true, threshold: 0.1f, maxNonzeros: 0);
        var expected = weights.Where(w => Math.Abs(w.Item2) >= 0.1f).OrderBy(w => w.Item1).ToArray();
        Assert.That(rows, Is.EqualTo(expected.Select(e => e.Item1)));
        Assert.That(vals, Is.EqualTo(expected.Select(e => e.Item2)));
        Assert.That(ws.W, Is.All.EqualTo(0f));
    }

    [Test]
    public void AllFeaturesModeExtractsTheSameAsMarking()
    {
        // A node whose rows hold at least D entries skips marking; the scan over all of w must find the
        // same entries (exact zeros still dropped) and clear all of w.
        var x = new XmrEngine.Sparse.CsrMatrix(3, 5, [0, 3, 6, 9], [0, 1, 2, 2, 3, 4, 0, 2, 4], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
        var ws = new SolverWorkspace(5);
        ws.BeginProblem();
        for (int i = 0; i < 3; i++) ws.AddInstance(i, 1);
        ws.LoadRows(x, 0);
        Assert.That(ws.AllFeaturesTouched, Is.True);
        Assert.That(ws.TouchedCount, Is.EqualTo(0));
        float[] w = [0.5f, 0f, -0.3f, 0.05f, 0.2f];
        w.CopyTo(ws.W, 0);
        ws.B = 0.4;
        var (rows, vals) = NodeWeightExtractor.Extract(ws, 5, hasBias: true, threshold: 0.1f, maxNonzeros: 0);
        Assert.That(rows, Is.EqualTo(new[] { 0, 2, 4, 5 }));
        Assert.That(vals, Is.EqualTo(new[] { 0.5f, -0.3f, 0.2f, 0.4f }));
        Assert.That(ws.W, Is.All.EqualTo(0f));
        Assert.That(ws.AllFeaturesTouched, Is.True, "kept for the next sibling");
        ws.BeginProblem();
        Assert.That(ws.AllFeaturesTouched, Is.False);
    }

    [Test]
    public void RandomSolutionsMatchASimpleReference()
    {
        var rng = new Random(23);
        for (int trial = 0; trial < 200; trial++)
        {
            int d = rng.Next(1, 300);
            var features = Enumerable.Range(0, d).Where(_ => rng.Next(3) == 0).OrderBy(_ => rng.Next()).ToArray();
            var weights = features.Select(f => (f, rng.Next(5) == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1))).ToArray();
            double bias = rng.NextDouble() * 2 - 1;
            bool hasBias = rng.Next(2) == 0;
            float threshold = (float)(rng.NextDouble() * 0.5);
            int cap = rng.Next(3) == 0 ? rng.Next(1, 20) : 0;
            var ws = Workspace(d, weights, bias);
            var (rows, vals) = NodeWeightExtractor.Extract(ws, d, hasBias, threshold, cap);

            var expected = weights.Where(w => w.Item2 != 0f && Math.Abs(w.Item2) >= threshold).ToList();
            if (hasBias && (float)bias != 0f && Math.Abs((float)bias) >= threshold) expected.Add((d, (float)bias));
            if (cap > 0 && expected.Count > cap)
                expected = expected.OrderByDescending(e => Math.Abs(e.Item2)).ThenBy(e => e.Item1).Take(cap).ToList();
            expected = expected.OrderBy(e => e.Item1).ToList();
            Assert.That(rows, Is.EqualTo(expected.Select(e => e.Item1)), $"trial {trial}");
            Assert.That(vals, Is.EqualTo(expected.Select(e => e.Item2)), $"trial {trial}");
            Assert.That(ws.W, Is.All.EqualTo(0f));
            Assert.That(ws.TouchedCount, Is.EqualTo(features.Length));
        }
    }
}
