using XmrEngine.Indexing;
using XmrEngine.Sparse;

namespace XmrEngine.Training;

/// <summary>
/// Trains every node of one tree level: builds each node's problem (candidate instances of its
/// parent, labelled +1 when they have a label under the node), solves it in a per-worker workspace,
/// prunes, and assembles the level's (D+1) x nodes CSC weight matrix. Nodes run in parallel; each
/// node's random stream comes from (seed, level, node), so the result does not depend on threads.
/// </summary>
internal sealed class LevelTrainer
{
    private readonly CsrMatrix _x;
    private readonly XLinearTrainOptions _options;
    private readonly SolverParameters _params;
    // Every node reuses these, so they are computed once per training run instead of once per node row.
    private readonly double[] _rowSquaredNorms;

    public LevelTrainer(CsrMatrix x, XLinearTrainOptions options)
    {
        _x = x;
        _options = options;
        _params = SolverParameters.From(options);
        _rowSquaredNorms = SolverWorkspace.RowSquaredNorms(x);
    }

    /// <summary>Trains level <paramref name="level"/>.</summary>
    /// <param name="level">Level index t.</param>
    /// <param name="levelCount">Tree depth (for progress reports).</param>
    /// <param name="parentOf">Chain level t (children x parents).</param>
    /// <param name="positives">Per node of level t, the instances with a label under it.</param>
    /// <param name="teacherParents">Per parent, the instances with a label under it (TFN); null to skip.</param>
    /// <param name="matchedParents">Per parent, the instances beam search routes to it (MAN); null to skip.</param>
    /// <param name="allInstances">Whether every instance is a candidate (level 0: the parent is the root).</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="ct">Cancellation.</param>
    public CscMatrix Train(int level, int levelCount, CsrMatrix parentOf, NodeInstanceLists positives,
        NodeInstanceLists? teacherParents, NodeInstanceLists? matchedParents, bool allInstances,
        IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        int nodes = parentOf.Rows;
        int d = _x.Cols;
        var rows = new int[nodes][];
        var vals = new float[nodes][];
        int done = 0;
        int reportEvery = Math.Max(1, nodes / 100);
        progress?.Report(new TrainingProgress(level, levelCount, 0, nodes));

        void TrainNode(int j, SolverWorkspace ws)
        {
            int parent = parentOf.RowIndices(j)[0];
            ws.BeginProblem();
            var pos = positives.Of(j);
            if (allInstances) AddAllInstances(ws, _x.Rows, pos);
            else AddCandidates(ws, teacherParents is null ? default : teacherParents.Of(parent),
                matchedParents is null ? default : matchedParents.Of(parent), pos);
            (rows[j], vals[j]) = Solve(ws, level, j, d);
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % reportEvery == 0 || now == nodes))
                progress.Report(new TrainingProgress(level, levelCount, now, nodes));
        }

        int threads = _options.Threads <= 0 ? Environment.ProcessorCount : _options.Threads;
        if (threads == 1 || nodes == 1)
        {
            var ws = new SolverWorkspace(d);
            for (int j = 0; j < nodes; j++)
            {
                ct.ThrowIfCancellationRequested();
                TrainNode(j, ws);
            }
        }
        else
        {
            var po = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct };
            Parallel.For(0, nodes, po, () => new SolverWorkspace(d), (j, _, ws) =>
            {
                TrainNode(j, ws);
                return ws;
            }, _ => { });
        }
        return Assemble(d + 1, rows, vals);
    }

    private (int[] Rows, float[] Values) Solve(SolverWorkspace ws, int level, int node, int d)
    {
        if (ws.Count == 0) return ([], []);
        double biasSq = _params.Bias > 0 ? (double)_params.Bias * _params.Bias : 0;
        ws.LoadRows(_x, biasSq, _rowSquaredNorms);
        var rng = SeededRandom.ForNode(_options.Seed, level, node);
        if (_params.Solver == SolverType.Logistic) LogisticDualSolver.Solve(ws, _params, ref rng);
        else HingeDualSolver.Solve(ws, _params, ref rng);
        return NodeWeightExtractor.Extract(ws, d, _params.Bias > 0, _options.Threshold, _options.MaxNonzerosPerNode);
    }

    /// <summary>Every instance, labelled by membership in the sorted <paramref name="positives"/>.</summary>
    private static void AddAllInstances(SolverWorkspace ws, int instances, ReadOnlySpan<int> positives)
    {
        int q = 0;
        for (int i = 0; i < instances; i++)
        {
            bool positive = q < positives.Length && positives[q] == i;
            if (positive) q++;
            ws.AddInstance(i, positive ? (sbyte)1 : (sbyte)-1);
        }
    }

    /// <summary>The sorted union of two candidate lists and the positives, labelled by membership in the positives.</summary>
    private static void AddCandidates(SolverWorkspace ws, ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> positives)
    {
        int pa = 0, pb = 0, pp = 0;
        while (pa < a.Length || pb < b.Length || pp < positives.Length)
        {
            int next = int.MaxValue;
            if (pa < a.Length) next = a[pa];
            if (pb < b.Length && b[pb] < next) next = b[pb];
            if (pp < positives.Length && positives[pp] < next) next = positives[pp];
            if (pa < a.Length && a[pa] == next) pa++;
            if (pb < b.Length && b[pb] == next) pb++;
            bool positive = pp < positives.Length && positives[pp] == next;
            if (positive) pp++;
            ws.AddInstance(next, positive ? (sbyte)1 : (sbyte)-1);
        }
    }

    private static CscMatrix Assemble(int rows, int[][] colRows, float[][] colVals)
    {
        int cols = colRows.Length;
        var ptr = new long[cols + 1];
        for (int j = 0; j < cols; j++) ptr[j + 1] = ptr[j] + colRows[j].Length;
        var idx = new int[ptr[cols]];
        var val = new float[ptr[cols]];
        for (int j = 0; j < cols; j++)
        {
            colRows[j].CopyTo(idx, ptr[j]);
            colVals[j].CopyTo(val, ptr[j]);
        }
        return CscMatrix.FromTrusted(rows, cols, ptr, idx, val);
    }
}
