using XmrEngine.Indexing;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Training;
using XmrEngine.Common;
using XmrEngine.Kernels;

namespace XmrEngine.Tests.Training;

/// <summary>
/// The dual coordinate descent solvers against plain references: full-batch gradient descent on the
/// primal for the smooth losses (squared hinge, logistic), and the duality gap for the hinge loss.
/// </summary>
public class DualSolverTests
{
    private sealed record Problem(CsrMatrix X, sbyte[] Y);

    private static Problem MakeProblem(int n, int d, int seed, double density = 0.6)
    {
        var x = RandomSparse.Csr(n, d, density, seed, allowEmptyRows: false).NormalizeRows();
        var rng = new Random(seed + 100);
        var truth = Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var y = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            double m = 0.2;
            var idx = x.Row(i).Indices;
            var val = x.Row(i).Values;
            for (int k = 0; k < idx.Length; k++) m += truth[idx[k]] * val[k];
            // Some label noise so that the problem is not separable and the bounds are active.
            y[i] = (sbyte)((m > 0) ^ (rng.NextDouble() < 0.15) ? 1 : -1);
        }
        return new Problem(x, y);
    }

    private static (double[] W, double B, double[] Alpha) RunSolver(Problem p, SolverParameters sp, int seed = 0, bool pack = true)
    {
        var ws = new SolverWorkspace(p.X.Cols);
        ws.BeginProblem();
        double biasSq = sp.Bias > 0 ? (double)sp.Bias * sp.Bias : 0;
        for (int i = 0; i < p.X.Rows; i++) ws.AddInstance(i, p.Y[i]);
        ws.LoadRows(p.X, biasSq, packBudget: pack ? SolverWorkspace.DefaultPackBudget : 0, packMinimumSource: 0);
        Assert.That(ReferenceEquals(ws.RowIndexSource, p.X.ColIdxArray), Is.EqualTo(!pack), "rows are packed only within the budget");
        var rng = new SeededRandom((ulong)seed);
        if (sp.Solver == SolverType.Logistic) LogisticDualSolver.Solve(ws, sp, ref rng);
        else HingeDualSolver.Solve(ws, sp, ref rng);
        var w = new double[p.X.Cols];
        if (ws.LocalIndexing)
            for (int f = 0; f < ws.TouchedCount; f++) w[ws.Touched[f]] = ws.W[f];
        else
            for (int j = 0; j < w.Length; j++) w[j] = ws.W[j];
        double b = ws.B;
        var alpha = ws.Alpha.Take(sp.Solver == SolverType.Logistic ? 2 * ws.Count : ws.Count).ToArray();
        ws.ZeroWeights();
        Assert.That(ws.W, Is.All.EqualTo(0f), "ZeroWeights leaves w zero for the next node");
        return (w, b, alpha);
    }

    private static double Margin(Problem p, int i, double[] w, double b, double bias)
    {
        double m = b * bias;
        var idx = p.X.Row(i).Indices;
        var val = p.X.Row(i).Values;
        for (int k = 0; k < idx.Length; k++) m += w[idx[k]] * val[k];
        return m;
    }

    private static double Cost(sbyte y, SolverParameters sp) => y > 0 ? sp.Cp : sp.Cn;

    private static double Primal(Problem p, double[] w, double b, SolverParameters sp)
    {
        double f = 0.5 * (w.Sum(v => v * v) + b * b);
        for (int i = 0; i < p.X.Rows; i++)
        {
            double ym = p.Y[i] * Margin(p, i, w, b, sp.Bias);
            f += Cost(p.Y[i], sp) * sp.Solver switch
            {
                SolverType.L2Hinge => Math.Pow(Math.Max(0, 1 - ym), 2),
                SolverType.L1Hinge => Math.Max(0, 1 - ym),
                _ => Math.Log(1 + Math.Exp(-ym)),
            };
        }
        return f;
    }

    /// <summary>Gradient descent with step 1/L on the smooth primal, in double precision.</summary>
    private static (double[] W, double B) ReferencePrimal(Problem p, SolverParameters sp)
    {
        int d = p.X.Cols;
        var w = new double[d];
        double b = 0;
        double sumSq = 0;
        for (int i = 0; i < p.X.Rows; i++) sumSq += Cost(p.Y[i], sp) * (p.X.Row(i).Values.ToArray().Sum(v => (double)v * v) + sp.Bias * sp.Bias);
        double lipschitz = 1 + (sp.Solver == SolverType.L2Hinge ? 2 : 0.25) * sumSq;
        double step = 1 / lipschitz;
        var g = new double[d];
        for (int it = 0; it < 200_000; it++)
        {
            Array.Copy(w, g, d);
            double gb = b;
            for (int i = 0; i < p.X.Rows; i++)
            {
                double ym = p.Y[i] * Margin(p, i, w, b, sp.Bias);
                double coef = sp.Solver == SolverType.L2Hinge
                    ? -2 * Cost(p.Y[i], sp) * Math.Max(0, 1 - ym) * p.Y[i]
                    : -Cost(p.Y[i], sp) * p.Y[i] / (1 + Math.Exp(ym));
                var idx = p.X.Row(i).Indices;
                var val = p.X.Row(i).Values;
                for (int k = 0; k < idx.Length; k++) g[idx[k]] += coef * val[k];
                gb += coef * sp.Bias;
            }
            double norm = Math.Sqrt(g.Sum(v => v * v) + gb * gb);
            for (int j = 0; j < d; j++) w[j] -= step * g[j];
            b -= step * gb;
            if (norm < 1e-9) break;
        }
        return (w, b);
    }

    [TestCase(SolverType.L2Hinge, 1.0, 1.0, 1f)]
    [TestCase(SolverType.L2Hinge, 2.0, 0.5, 1f)]
    [TestCase(SolverType.L2Hinge, 1.0, 1.0, 0f)]
    [TestCase(SolverType.Logistic, 1.0, 1.0, 1f)]
    [TestCase(SolverType.Logistic, 0.5, 3.0, 1f)]
    public void SmoothLossesMatchPrimalGradientDescent(SolverType solver, double cp, double cn, float bias)
    {
        var p = MakeProblem(n: 60, d: 9, seed: 11);
        var sp = new SolverParameters(solver, cp, cn, Eps: 1e-6, MaxIterations: 100_000, Bias: bias);
        var (w, b, _) = RunSolver(p, sp);
        var (rw, rb) = ReferencePrimal(p, sp);
        for (int j = 0; j < w.Length; j++) Assert.That(w[j], Is.EqualTo(rw[j]).Within(2e-3), $"w[{j}]");
        Assert.That(b, Is.EqualTo(rb).Within(2e-3), "bias weight");
        if (bias == 0) Assert.That(b, Is.EqualTo(0));
        Assert.That(Primal(p, w, b, sp), Is.EqualTo(Primal(p, rw, rb, sp)).Within(1e-4 * Primal(p, rw, rb, sp)));
    }

    [TestCase(SolverType.L1Hinge, 1.0, 1.0)]
    [TestCase(SolverType.L1Hinge, 4.0, 0.5)]
    [TestCase(SolverType.L2Hinge, 1.0, 1.0)]
    public void HingeLossesCloseTheDualityGap(SolverType solver, double cp, double cn)
    {
        var p = MakeProblem(n: 80, d: 12, seed: 21);
        var sp = new SolverParameters(solver, cp, cn, Eps: 1e-7, MaxIterations: 100_000, Bias: 1f);
        var (w, b, alpha) = RunSolver(p, sp);
        // Dual: sum(alpha) - 0.5 |sum alpha_i y_i x_i|^2 (- sum alpha^2 / (4C) for the squared hinge),
        // with w recomputed from alpha in double to check the solver kept w = sum alpha_i y_i x_i.
        var wa = new double[p.X.Cols];
        double ba = 0, dual = 0;
        for (int i = 0; i < p.X.Rows; i++)
        {
            double c = Cost(p.Y[i], sp);
            Assert.That(alpha[i], Is.GreaterThanOrEqualTo(0));
            if (solver == SolverType.L1Hinge) Assert.That(alpha[i], Is.LessThanOrEqualTo(c));
            dual += alpha[i] - (solver == SolverType.L2Hinge ? alpha[i] * alpha[i] / (4 * c) : 0);
            var idx = p.X.Row(i).Indices;
            var val = p.X.Row(i).Values;
            for (int k = 0; k < idx.Length; k++) wa[idx[k]] += alpha[i] * p.Y[i] * val[k];
            ba += alpha[i] * p.Y[i] * sp.Bias;
        }
        dual -= 0.5 * (wa.Sum(v => v * v) + ba * ba);
        for (int j = 0; j < w.Length; j++) Assert.That(w[j], Is.EqualTo(wa[j]).Within(1e-4));
        double primal = Primal(p, w, b, sp);
        Assert.That(primal, Is.GreaterThanOrEqualTo(dual - 1e-6));
        Assert.That(primal - dual, Is.LessThan(1e-4 * Math.Max(1, primal)), $"primal {primal}, dual {dual}");
    }

    [Test]
    public void DefaultToleranceIsNearOptimal()
    {
        var p = MakeProblem(n: 200, d: 15, seed: 31);
        var loose = new SolverParameters(SolverType.L2Hinge, 1, 1, Eps: 0.1, MaxIterations: 100, Bias: 1f);
        var tight = loose with { Eps = 1e-7, MaxIterations = 100_000 };
        var (w1, b1, _) = RunSolver(p, loose);
        var (w2, b2, _) = RunSolver(p, tight);
        double f1 = Primal(p, w1, b1, loose), f2 = Primal(p, w2, b2, loose);
        Assert.That(f1, Is.GreaterThanOrEqualTo(f2 - 1e-6));
        Assert.That(f1, Is.LessThan(f2 * 1.02), "eps = 0.1 ends within 2% of the optimum");
    }

    [Test]
    public void SameSeedSameSolutionOtherSeedSameOptimum()
    {
        var p = MakeProblem(n: 50, d: 8, seed: 41);
        var sp = new SolverParameters(SolverType.L2Hinge, 1, 1, Eps: 1e-7, MaxIterations: 100_000, Bias: 1f);
        var a = RunSolver(p, sp, seed: 1);
        var b = RunSolver(p, sp, seed: 1);
        var c = RunSolver(p, sp, seed: 2);
        Assert.That(a.W, Is.EqualTo(b.W));
        for (int j = 0; j < a.W.Length; j++) Assert.That(c.W[j], Is.EqualTo(a.W[j]).Within(1e-3));
    }

    [TestCase(SolverType.L2Hinge)]
    [TestCase(SolverType.L1Hinge)]
    [TestCase(SolverType.Logistic)]
    public void PackedAndUnpackedRowsGiveIdenticalSolutions(SolverType solver)
    {
        // Nodes too large for the packed buffer read X in place; the arithmetic must not change.
        var p = MakeProblem(n: 70, d: 10, seed: 61);
        var sp = new SolverParameters(solver, 1, 1, Eps: 0.1, MaxIterations: 100, Bias: 1f);
        var packed = RunSolver(p, sp, seed: 3, pack: true);
        var inPlace = RunSolver(p, sp, seed: 3, pack: false);
        Assert.That(inPlace.W, Is.EqualTo(packed.W));
        Assert.That(inPlace.B, Is.EqualTo(packed.B));
    }

    [TestCase(SolverType.L2Hinge)]
    [TestCase(SolverType.L1Hinge)]
    [TestCase(SolverType.Logistic)]
    public void PackedRowsWithLocalFeatureIdsGiveTheSameColumns(SolverType solver)
    {
        // Packed rows of a node that touches few of the D features are renumbered to local ids, so w is used as one
        // compact block: the same sums in the same order, so every sibling's column must equal the one solved on X's
        // own rows with global ids, bit for bit.
        const int d = 3000;
        var p = MakeProblem(n: 160, d: d, seed: 29, density: 0.004);
        var sp = new SolverParameters(solver, 1, 1, Eps: 0.1, MaxIterations: 100, Bias: 1f);
        var columns = new List<(int[] Rows, float[] Values)>[2];
        foreach (bool pack in new[] { true, false })
        {
            var ws = new SolverWorkspace(d);
            ws.BeginProblem();
            for (int i = 0; i < p.X.Rows; i++) ws.AddInstance(i, p.Y[i]);
            ws.LoadRows(p.X, 1.0, packBudget: pack ? SolverWorkspace.DefaultPackBudget : 0, packMinimumSource: 0);
            Assert.That(ws.LocalIndexing, Is.EqualTo(pack), "local ids only for packed rows of a problem that touches few features");
            Assert.That(ws.AllFeaturesTouched, Is.False);
            var mine = columns[pack ? 0 : 1] = [];
            // Three siblings on the same loaded rows: the node's own labels, then two relabellings.
            for (int sibling = 0; sibling < 3; sibling++)
            {
                if (sibling > 0) ws.Relabel(Enumerable.Range(0, p.X.Rows).Where(i => i % (3 + sibling) == 0).ToArray());
                var rng = new SeededRandom((ulong)(11 + sibling));
                if (solver == SolverType.Logistic) LogisticDualSolver.Solve(ws, sp, ref rng);
                else HingeDualSolver.Solve(ws, sp, ref rng);
                mine.Add(NodeWeightExtractor.Extract(ws, d, hasBias: true, threshold: 0f, maxNonzeros: 0));
                Assert.That(ws.W, Is.All.EqualTo(0f), "extraction leaves w zero for the next sibling");
            }
        }
        for (int sibling = 0; sibling < 3; sibling++)
        {
            Assert.That(columns[0][sibling].Rows, Is.EqualTo(columns[1][sibling].Rows), $"sibling {sibling}");
            Assert.That(columns[0][sibling].Values, Is.EqualTo(columns[1][sibling].Values), $"sibling {sibling}");
            Assert.That(columns[0][sibling].Rows.Length, Is.GreaterThan(50));
            Assert.That(columns[0][sibling].Rows, Is.Ordered.Ascending);
        }
    }

    [TestCase(4, 50)]
    [TestCase(400, 50)]
    public void PrecomputedNormsAndFeatureModeDoNotChangeTheSolution(int d, int n)
    {
        // d = 4: the rows hold far more than D entries, so the workspace treats every feature as touched;
        // d = 400: it marks them one by one. Norms passed in from the trainer must equal per-row norms.
        var p = MakeProblem(n, d, seed: 17);
        var sp = new SolverParameters(SolverType.L2Hinge, 1, 1, Eps: 0.1, MaxIterations: 100, Bias: 1f);
        var solutions = new List<(int[] Rows, float[] Values)>();
        foreach (bool precomputed in new[] { false, true })
        {
            var ws = new SolverWorkspace(d);
            ws.BeginProblem();
            for (int i = 0; i < n; i++) ws.AddInstance(i, p.Y[i]);
            ws.LoadRows(p.X, 1.0, precomputed ? SolverWorkspace.RowSquaredNorms(p.X) : null);
            long entries = p.X.Nnz;
            Assert.That(ws.AllFeaturesTouched, Is.EqualTo(entries >= d));
            var rng = new SeededRandom(5);
            HingeDualSolver.Solve(ws, sp, ref rng);
            solutions.Add(NodeWeightExtractor.Extract(ws, d, hasBias: true, threshold: 0f, maxNonzeros: 0));
            Assert.That(ws.W, Is.All.EqualTo(0f), "extraction leaves w zero for the next node");
        }
        Assert.That(solutions[1].Rows, Is.EqualTo(solutions[0].Rows));
        Assert.That(solutions[1].Values, Is.EqualTo(solutions[0].Values));
        Assert.That(solutions[0].Rows, Is.Not.Empty);
    }

    [Test]
    public void SingleClassProblemsAreSolved()
    {
        // All negatives: the optimum pushes every margin to -1 or below, mostly through the bias.
        var p = MakeProblem(n: 30, d: 5, seed: 51) with { };
        var neg = new Problem(p.X, Enumerable.Repeat((sbyte)-1, 30).ToArray());
        var sp = new SolverParameters(SolverType.L2Hinge, 1, 1, Eps: 1e-6, MaxIterations: 10_000, Bias: 1f);
        var (w, b, _) = RunSolver(neg, sp);
        var (rw, rb) = ReferencePrimal(neg, sp);
        Assert.That(b, Is.EqualTo(rb).Within(1e-3));
        Assert.That(b, Is.LessThan(0));
        for (int j = 0; j < w.Length; j++) Assert.That(w[j], Is.EqualTo(rw[j]).Within(1e-3));
    }
}
