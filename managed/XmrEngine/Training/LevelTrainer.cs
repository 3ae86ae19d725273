using System.Collections.Concurrent;
using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Training;

/// <summary>
/// Trains every node of one tree level: builds each node's problem (candidate instances of its
/// parent, labelled +1 when they have a label under the node), solves it in a per-worker workspace,
/// prunes, and assembles the level's (D+1) x nodes CSC weight matrix. Groups of siblings run in
/// parallel and, when their candidate sets are equal, share one loaded problem that is only relabelled
/// per child; each node's random stream comes from (seed, level, node), so the result depends neither
/// on threads nor on grouping.
/// </summary>
internal sealed class LevelTrainer
{
    private readonly CsrMatrix _x;
    private readonly XLinearTrainOptions _options;
    private readonly SolverParameters _params;
    // Every node reuses these, so they are computed once per training run instead of once per node row.
    private readonly double[] _rowSquaredNorms;
    private readonly double _biasSquared;
    // Every node's solve runs on this backend (resolved once by the trainer).
    private readonly SparseKernels _kernels;
    // Workspaces hold dense arrays of the feature count (tens of MB at 1M features), so they are pooled across levels
    // instead of allocated per level and worker.
    private readonly ConcurrentBag<SolverWorkspace> _workspaces = [];
    // One generator per worker thread for PECOS's exact solve (ExactPecos).
    [ThreadStatic] private static PecosRandom? _pecosRandom;

    public LevelTrainer(CsrMatrix x, XLinearTrainOptions options, SparseKernels kernels)
    {
        _kernels = kernels;
        _x = x;
        _options = options;
        _params = SolverParameters.From(options);
        _rowSquaredNorms = SolverWorkspace.RowSquaredNorms(x);
        _biasSquared = _params.Bias > 0 ? (double)_params.Bias * _params.Bias : 0;
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
    /// <param name="only">When given, only the nodes flagged here are trained (the others get empty columns): a
    /// subtree job of partitioned training. A node's problem and random stream do not depend on which other nodes
    /// train, so the flagged columns are exactly those of a full run. Siblings must be flagged alike.</param>
    /// <param name="costs">Per node, its positives' cost factors (cost-sensitive training); null for all 1.</param>
    public CscMatrix Train(int level, int levelCount, CsrMatrix parentOf, NodeInstanceLists positives,
        NodeInstanceLists? teacherParents, NodeInstanceLists? matchedParents, bool allInstances,
        IProgress<TrainingProgress>? progress, CancellationToken ct, bool[]? only = null, NodeCostLists? costs = null)
    {
        int nodes = parentOf.Rows;
        int d = _x.Cols;
        var rows = new int[nodes][];
        var vals = new float[nodes][];
        int done = 0;
        int reportEvery = Math.Max(1, nodes / 100);
        progress?.Report(new TrainingProgress(level, levelCount, 0, nodes));
        int threads = ThreadCount.Resolve(_options.Threads);
        // Siblings share one candidate set when it does not depend on the child: every instance at the
        // top, or the parent's TFN instances (a child's positives are among them). The set's rows are
        // then loaded once per group of siblings instead of once per child.
        bool shared = allInstances || teacherParents is not null;
        var groups = !shared ? SiblingGroups(parentOf, 1)
            : _options.SiblingGroupLimit > 0 ? SiblingGroups(parentOf, _options.SiblingGroupLimit)
            : BalancedSiblingGroups(parentOf, CandidateCounts(parentOf.Cols, allInstances, teacherParents, matchedParents), threads);

        void TrainGroup(int[] group, SolverWorkspace ws)
        {
            if (only is not null && !only[group[0]])
            {
                foreach (int j in group) (rows[j], vals[j]) = ([], []);
                return;
            }
            int parent = parentOf.Row(group[0]).Indices[0];
            for (int g = 0; g < group.Length; g++)
            {
                // Checked per node, not per group (a group can hold many siblings); returning instead of
                // throwing keeps a parallel loop's failure a plain OperationCanceledException (thrown below).
                if (ct.IsCancellationRequested) return;
                int j = group[g];
                var pos = positives.Of(j);
                if (g == 0 || !shared)
                {
                    ws.BeginProblem();
                    if (allInstances) AddAllInstances(ws, _x.Rows, pos);
                    else AddCandidates(ws, teacherParents is null ? default : teacherParents.Of(parent),
                        matchedParents is null ? default : matchedParents.Of(parent), pos);
                    if (ws.Count > 0) ws.LoadRows(_x, _biasSquared, _rowSquaredNorms);
                }
                else
                {
                    ws.Relabel(pos);
                }
                if (costs is not null) ws.SetPositiveCosts(costs.Of(j));
                (rows[j], vals[j]) = Solve(ws, level, j, d);
                int now = Interlocked.Increment(ref done);
                if (progress is not null && (now % reportEvery == 0 || now == nodes))
                    progress.Report(new TrainingProgress(level, levelCount, now, nodes));
            }
        }

        // Groups come largest first; workers take them one at a time (see ParallelWorkers for why not Parallel.For).
        ParallelWorkers.ForEach(groups.Length, threads, RentWorkspace, _workspaces.Add, (g, ws) => TrainGroup(groups[g], ws), ct);
        return Assemble(d + 1, rows, vals);
    }

    private SolverWorkspace RentWorkspace() => _workspaces.TryTake(out var ws) ? ws : new SolverWorkspace(_x.Cols);

    /// <summary>
    /// The nodes of a level grouped by parent, ascending, each parent's children cut into groups of at
    /// most <paramref name="maxGroup"/> so that a level with few parents still spreads over the workers.
    /// </summary>
    internal static int[][] SiblingGroups(CsrMatrix parentOf, int maxGroup) => SiblingGroups(parentOf, _ => maxGroup);

    /// <summary>
    /// Sibling groups cut by estimated work rather than node count: a node costs about its parent's candidate count, and
    /// each group is kept within 1/(8 x threads) of the level's total, so one parent with most of the level's rows is
    /// spread over the workers instead of leaving them idle (measured on the 200k set's cluster level: one of two cores
    /// busy for most of it when groups were cut to a fixed node count). Groups are returned largest first, so the
    /// parallel loop starts the long ones early. Grouping changes no result (each node has its own random stream).
    /// </summary>
    /// <param name="parentOf">The level's chain (children x parents).</param>
    /// <param name="candidates">Per parent, the number of candidate instances its children train on.</param>
    /// <param name="threads">Worker count.</param>
    internal static int[][] BalancedSiblingGroups(CsrMatrix parentOf, ReadOnlySpan<long> candidates, int threads)
    {
        long total = 0;
        for (int j = 0; j < parentOf.Rows; j++) total += candidates[parentOf.Row(j).Indices[0]];
        long target = Math.Max(1, total / (8L * Math.Max(1, threads)));
        var size = new int[parentOf.Cols];
        for (int p = 0; p < size.Length; p++) size[p] = (int)Math.Clamp(target / Math.Max(1, candidates[p]), 1, int.MaxValue);
        var groups = SiblingGroups(parentOf, p => size[p]);
        var work = new long[groups.Length];
        for (int g = 0; g < groups.Length; g++) work[g] = -candidates[parentOf.Row(groups[g][0]).Indices[0]] * groups[g].Length;
        Array.Sort(work, groups); // ascending negated work: largest first (introsort: ties in any order, which changes nothing)
        return groups;
    }

    /// <summary>Per parent, how many candidate instances its children's problems hold (an upper bound when two lists overlap).</summary>
    private long[] CandidateCounts(int parents, bool allInstances, NodeInstanceLists? teacherParents, NodeInstanceLists? matchedParents)
    {
        var counts = new long[parents];
        for (int p = 0; p < parents; p++)
            counts[p] = allInstances ? _x.Rows
                : (teacherParents is null ? 0 : teacherParents.Of(p).Length) + (matchedParents is null ? 0 : matchedParents.Of(p).Length);
        return counts;
    }

    private static int[][] SiblingGroups(CsrMatrix parentOf, Func<int, int> maxGroupOf)
    {
        int nodes = parentOf.Rows, parents = parentOf.Cols;
        var start = new int[parents + 1];
        for (int j = 0; j < nodes; j++) start[parentOf.Row(j).Indices[0] + 1]++;
        for (int p = 0; p < parents; p++) start[p + 1] += start[p];
        var byParent = new int[nodes];
        var fill = start[..parents];
        for (int j = 0; j < nodes; j++) byParent[fill[parentOf.Row(j).Indices[0]]++] = j;
        var groups = new List<int[]>();
        for (int p = 0; p < parents; p++)
        {
            int maxGroup = maxGroupOf(p);
            for (int g = start[p]; g < start[p + 1]; g += maxGroup)
                groups.Add(byParent[g..Math.Min(start[p + 1], g + maxGroup)]);
        }
        return [.. groups];
    }

    private (int[] Rows, float[] Values) Solve(SolverWorkspace ws, int level, int node, int d)
    {
        if (ws.Count == 0) return ([], []);
        if (_options.ExactPecos && _params.Solver is SolverType.L2Hinge or SolverType.L1Hinge)
        {
            // PECOS reseeds every node's generator, so the one a worker holds is only reused for its state array.
            _pecosRandom ??= new PecosRandom(PecosHingeDualSolver.NodeSeed);
            PecosHingeDualSolver.Solve(ws, _params, _pecosRandom);
        }
        else
        {
            var rng = SeededRandom.ForNode(_options.Seed, level, node);
            _kernels.SolveDual(ws, _params, ref rng);
        }
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
