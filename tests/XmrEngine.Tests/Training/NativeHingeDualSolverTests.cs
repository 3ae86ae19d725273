using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using XmrEngine.Common;

namespace XmrEngine.Tests.Training;

/// <summary>
/// libxmr_native's dual coordinate-descent solver against the managed <see cref="HingeDualSolver"/>
/// on the same workspace contents and random stream. Tolerances: w and b agree to 1e-5 of the largest
/// |weight| and the dual objectives to 1e-6 relative. The C code performs the managed operations in
/// the managed order (same gather-dot lane reduction, no extra fused multiply-adds), so on AVX2+FMA
/// hardware the two agree bit for bit (the tests print the largest difference; it is 0 on the dev
/// machine); the tolerance admits a portable build whose scalar dot sums in another order, which can
/// move a shrinking decision and stop the descent at a slightly different point within eps.
/// </summary>
public sealed class NativeHingeDualSolverTests
{
    private const double WeightTolerance = 1e-5;
    private const double DualTolerance = 1e-6;

    private static void RequireNative()
    {
        if (!NativeBackendProvider.TryLoad(out var reason)) Assert.Ignore($"libxmr_native is not available: {reason}");
    }

    private sealed record Solution(float[] W, double B, double[] Alpha, ulong RngState);

    /// <summary>Loads (x, y) into a fresh workspace, packed or left in place.</summary>
    private static SolverWorkspace Load(CsrMatrix x, sbyte[] y, float bias, bool pack)
    {
        var ws = new SolverWorkspace(x.Cols);
        ws.BeginProblem();
        for (int i = 0; i < x.Rows; i++) ws.AddInstance(i, y[i]);
        if (ws.Count > 0)
            ws.LoadRows(x, bias > 0 ? (double)bias * bias : 0, packBudget: pack ? SolverWorkspace.DefaultPackBudget : 0, packMinimumSource: 0);
        return ws;
    }

    private static Solution Run(CsrMatrix x, sbyte[] y, SolverParameters p, bool pack, bool native, ulong seed)
    {
        var ws = Load(x, y, p.Bias, pack);
        var rng = new SeededRandom(seed);
        if (native) NativeHingeDualSolver.Solve(ws, p, ref rng);
        else HingeDualSolver.Solve(ws, p, ref rng);
        return new Solution((float[])ws.W.Clone(), ws.B, ws.Alpha.Take(ws.Count).ToArray(), rng.State);
    }

    /// <summary>The dual objective 0.5 |[w; b]|^2 - sum alpha + 0.5 sum alpha^2 D_ii (D = 1/(2C) for the squared hinge).</summary>
    private static double Dual(Solution s, sbyte[] y, SolverParameters p)
    {
        double f = 0.5 * s.B * s.B;
        foreach (float v in s.W) f += 0.5 * v * v;
        for (int i = 0; i < s.Alpha.Length; i++)
        {
            double diag = p.Solver == SolverType.L2Hinge ? 0.5 / (y[i] > 0 ? p.Cp : p.Cn) : 0;
            f += -s.Alpha[i] + 0.5 * s.Alpha[i] * s.Alpha[i] * diag;
        }
        return f;
    }

    private static void AssertAgree(CsrMatrix x, sbyte[] y, SolverParameters p, bool pack, ulong seed = 7)
    {
        var managed = Run(x, y, p, pack, native: false, seed);
        var native = Run(x, y, p, pack, native: true, seed);
        double scale = Math.Max(1.0, Math.Max(managed.W.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max(), Math.Abs(managed.B)));
        double wDiff = managed.W.Zip(native.W, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(0).Max();
        double bDiff = Math.Abs(managed.B - native.B);
        double dm = Dual(managed, y, p), dn = Dual(native, y, p);
        double dualDiff = Math.Abs(dm - dn) / Math.Max(1.0, Math.Abs(dm));
        TestContext.Out.WriteLine($"{p.Solver} bias {p.Bias} pack {pack}: max |dw| {wDiff:G3}, |db| {bDiff:G3}, dual rel diff {dualDiff:G3}, rng {(managed.RngState == native.RngState ? "same" : "different")}");
        Assert.Multiple(() =>
        {
            Assert.That(wDiff, Is.LessThanOrEqualTo(WeightTolerance * scale), "w");
            Assert.That(bDiff, Is.LessThanOrEqualTo(WeightTolerance * scale), "b");
            Assert.That(dualDiff, Is.LessThanOrEqualTo(DualTolerance), "dual objective");
            Assert.That(native.Alpha, Has.All.GreaterThanOrEqualTo(0.0), "dual feasibility");
        });
    }

    private static sbyte[] NoisyLabels(CsrMatrix x, int seed, double positiveShare = 0.5)
    {
        var rng = new Random(seed);
        var truth = Enumerable.Range(0, x.Cols).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var y = new sbyte[x.Rows];
        double offset = positiveShare - 0.5;
        for (int i = 0; i < x.Rows; i++)
        {
            double m = offset;
            var idx = x.Row(i).Indices;
            var val = x.Row(i).Values;
            for (int k = 0; k < idx.Length; k++) m += truth[idx[k]] * val[k];
            y[i] = (sbyte)((m > 0) ^ (rng.NextDouble() < 0.1) ? 1 : -1);
        }
        return y;
    }

    private static SolverParameters Params(SolverType solver, float bias, double cp = 1, double cn = 1, double eps = 0.1, int maxIter = 100) =>
        new(solver, cp, cn, eps, maxIter, bias);

    [Test]
    public void ShuffleMatchesSeededRandom([Values(0, 1, 2, 7, 8, 100, 1001)] int n)
    {
        RequireNative();
        foreach (ulong seed in new ulong[] { 0, 1, 0xDEADBEEF, ulong.MaxValue })
        {
            var managed = new SeededRandom(seed);
            ulong state = seed;
            var a = Enumerable.Range(0, n).ToArray();
            var b = Enumerable.Range(0, n).ToArray();
            for (int round = 0; round < 3; round++)
            {
                managed.Shuffle(a);
                Shuffle(ref state, b);
                Assert.That(b, Is.EqualTo(a), $"seed {seed}, round {round}");
            }
            Assert.That(state, Is.EqualTo(managed.State), "generator state after the shuffles");
        }
    }

    private static void Shuffle(ref ulong state, int[] items) =>
        NativeStatus.ThrowIfFailed(NativeSolverMethods.RandomShuffle(ref state, items, items.Length), "xmr_random_shuffle");

    [Test]
    public void RandomProblemsAgree(
        [Values(SolverType.L2Hinge, SolverType.L1Hinge)] SolverType solver,
        [Values(0f, 1f)] float bias,
        [Values(true, false)] bool pack,
        [Values(1, 2, 3)] int seed)
    {
        RequireNative();
        var x = RandomSparse.Csr(300, 120, 0.15, seed, allowEmptyRows: false).NormalizeRows();
        AssertAgree(x, NoisyLabels(x, seed), Params(solver, bias), pack, (ulong)seed);
    }

    [TestCase(SolverType.L2Hinge, 4.0, 0.5)]
    [TestCase(SolverType.L1Hinge, 0.25, 2.0)]
    public void AsymmetricCostsAndTightToleranceAgree(SolverType solver, double cp, double cn)
    {
        RequireNative();
        var x = RandomSparse.Csr(400, 300, 0.05, 11, allowEmptyRows: false).NormalizeRows();
        AssertAgree(x, NoisyLabels(x, 11, positiveShare: 0.2), Params(solver, 1f, cp, cn, eps: 1e-4, maxIter: 1000), pack: true);
    }

    [Test]
    public void RowLengthsNotMultiplesOfEightAndEmptyRowsAgree([Values(SolverType.L2Hinge, SolverType.L1Hinge)] SolverType solver, [Values(0f, 1f)] float bias)
    {
        RequireNative();
        // Row i holds i % 37 entries: empty rows, the scalar tail alone, one and two 8-lane blocks plus tails.
        var coo = new CooBuilder(200, 64);
        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
            foreach (int j in Enumerable.Range(0, 64).OrderBy(_ => rng.Next()).Take(i % 37))
                coo.Add(i, j, (float)(rng.NextDouble() + 0.1));
        var x = coo.ToCsr().NormalizeRows();
        AssertAgree(x, NoisyLabels(x, 5), Params(solver, bias), pack: true);
        AssertAgree(x, NoisyLabels(x, 6), Params(solver, bias), pack: false);
    }

    [TestCase(SolverType.L2Hinge, 1f)]
    [TestCase(SolverType.L1Hinge, 0f)]
    public void OneInstanceAgrees(SolverType solver, float bias)
    {
        RequireNative();
        var x = RandomSparse.Csr(1, 20, 0.5, 3, allowEmptyRows: false);
        AssertAgree(x, [1], Params(solver, bias), pack: true);
        AssertAgree(x, [-1], Params(solver, bias), pack: false);
    }

    [Test]
    public void SingleClassAgrees([Values(SolverType.L2Hinge, SolverType.L1Hinge)] SolverType solver, [Values((sbyte)1, (sbyte)-1)] sbyte label)
    {
        RequireNative();
        var x = RandomSparse.Csr(80, 40, 0.2, 9, allowEmptyRows: true).NormalizeRows();
        AssertAgree(x, Enumerable.Repeat(label, x.Rows).ToArray(), Params(solver, 1f), pack: true);
    }

    [Test]
    public void EmptyProblemLeavesWorkspaceAndStreamUnchanged()
    {
        RequireNative();
        var ws = new SolverWorkspace(10);
        ws.BeginProblem();
        var rng = new SeededRandom(42);
        Assert.That(NativeHingeDualSolver.Solve(ws, Params(SolverType.L2Hinge, 1f), ref rng), Is.Zero);
        Assert.That((ws.B, rng.State), Is.EqualTo((0.0, 42UL)));
        Assert.That(ws.W, Is.All.EqualTo(0f));
    }

    [Test]
    public void LogisticIsRejected()
    {
        var ws = Load(RandomSparse.Csr(3, 5, 0.5, 1, allowEmptyRows: false), [1, -1, 1], 1f, pack: false);
        var rng = new SeededRandom(1);
        Assert.That(() => NativeHingeDualSolver.Solve(ws, Params(SolverType.Logistic, 1f), ref rng),
            Throws.ArgumentException.With.Message.Contains("logistic"));
    }

    [Test]
    public void NativeRejectsBadLabelsAndRowRanges()
    {
        RequireNative();
        Assert.Multiple(() =>
        {
            Assert.That(CallSolver(labels: [1, 0], rowStart: [0, 1], rowLength: [1, 1], entries: 2), Is.EqualTo(NativeStatus.InvalidArgument), "label 0");
            Assert.That(CallSolver(labels: [1, -1], rowStart: [0, 1], rowLength: [1, 2], entries: 2), Is.EqualTo(NativeStatus.InvalidArgument), "row past the entries");
            Assert.That(CallSolver(labels: [1, -1], rowStart: [0, -1], rowLength: [1, 1], entries: 2), Is.EqualTo(NativeStatus.InvalidArgument), "negative row start");
            Assert.That(CallSolver(labels: [1, -1], rowStart: [0, 1], rowLength: [1, 1], entries: 2, cp: 0), Is.EqualTo(NativeStatus.InvalidArgument), "zero cost");
            Assert.That(CallSolver(labels: [1, -1], rowStart: [0, 1], rowLength: [1, 1], entries: 2, loss: 7), Is.EqualTo(NativeStatus.InvalidArgument), "unknown loss");
            Assert.That(CallSolver(labels: [1, -1], rowStart: [0, 1], rowLength: [1, 1], entries: 2), Is.EqualTo(NativeStatus.Ok), "valid problem");
        });
    }

    private static unsafe int CallSolver(sbyte[] labels, int[] rowStart, int[] rowLength, long entries, double cp = 1, int loss = NativeSolverMethods.LossSquaredHinge)
    {
        var indices = new int[] { 0, 1 };
        var values = new float[] { 1f, 1f };
        var norms = new double[] { 2, 2 };
        var w = new float[2];
        var alpha = new double[2];
        var order = new int[2];
        ulong state = 1;
        using var pl = new PinnedArray<sbyte>(labels);
        using var ps = new PinnedArray<int>(rowStart);
        using var pn = new PinnedArray<int>(rowLength);
        using var pi = new PinnedArray<int>(indices);
        using var pv = new PinnedArray<float>(values);
        using var pq = new PinnedArray<double>(norms);
        var problem = new NativeSolverMethods.DcdProblem
        {
            Count = labels.Length, Features = 2, Entries = entries, Labels = pl.Pointer, RowStart = ps.Pointer, RowLength = pn.Pointer,
            Indices = pi.Pointer, Values = pv.Pointer, SquaredNorms = pq.Pointer,
        };
        var prm = new NativeSolverMethods.DcdParams { Loss = loss, MaxIterations = 10, Cp = cp, Cn = 1, Eps = 0.1, Bias = 1 };
        return NativeSolverMethods.DcdHingeSolve(problem, prm, w, alpha, order, out _, ref state, out _);
    }
}
