using System.Collections.Concurrent;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Indexing;

/// <summary>
/// PECOS's balanced hierarchical spherical k-means indexer. Labels are split recursively by exactly
/// balanced 2-means (<see cref="BalancedTwoMeans"/>) into 2^depth bottom clusters, where depth is the
/// smallest d &gt;= 1 with MaxLeafSize * 2^d &gt;= L; when L &lt;= MaxLeafSize the tree is flat (one level,
/// every label under the root). The bottom clusters are then grouped bottom-up, NrSplits consecutive
/// clusters per parent (aligned binary subtrees), while more than NrSplits clusters remain; a final
/// root level sits on top when more than one cluster is left (PECOS's ClusterChain.from_partial_chain).
/// Every node gets its own random stream from (seed, binary level, node id), so the tree is identical
/// for any thread count.
/// </summary>
public sealed class HierarchicalKMeansIndexer
{
    /// <summary>The tree shape this indexer builds.</summary>
    public HierarchicalKMeansOptions Options { get; }

    /// <summary>Seed of every split's random stream; the tree is a function of the seed and the label features only.</summary>
    public int Seed { get; }

    /// <summary>Worker threads (0 = all cores); never changes the tree.</summary>
    public int Threads { get; }

    /// <summary>Creates an indexer; the options are already validated by their record.</summary>
    /// <param name="options">The tree shape; null for PECOS's.</param>
    /// <param name="seed">Seed of the splits [0].</param>
    /// <param name="threads">Worker threads [0 = all cores].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public HierarchicalKMeansIndexer(HierarchicalKMeansOptions? options = null, int seed = 0, int threads = 0)
    {
        Options = options ?? new HierarchicalKMeansOptions();
        Seed = seed;
        Threads = OptionGuard.AtLeast(threads, 0, nameof(HierarchicalKMeansIndexer), nameof(Threads));
    }

    /// <summary>Number of binary splitting levels PECOS uses for <paramref name="labelCount"/> labels (0 when the tree is flat).</summary>
    public static int BinaryDepth(int labelCount, int maxLeafSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(labelCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLeafSize, 1);
        if (labelCount <= maxLeafSize) return 0;
        int depth = 1;
        while ((long)maxLeafSize << depth < labelCount) depth++;
        return depth;
    }

    /// <summary>Builds the tree whose last level has one row per row of <paramref name="labelFeatures"/>, on the managed kernels.</summary>
    /// <param name="labelFeatures">Labels x features, one row per label (for example PIFA embeddings).</param>
    /// <param name="cancellationToken">Stops the build between nodes.</param>
    /// <exception cref="ArgumentException">There are no labels, or MaxLeafSize is so small that some bottom cluster would be empty.</exception>
    public ClusterChain Build(CsrMatrix labelFeatures, CancellationToken cancellationToken = default) =>
        Build(labelFeatures, ManagedKernels.Instance, cancellationToken);

    /// <summary>
    /// <see cref="Build(CsrMatrix, CancellationToken)"/> on the backend the caller's run resolved (the trainer
    /// passes its own down, so one run uses one backend); the tree is the same on every backend.
    /// </summary>
    /// <exception cref="ArgumentException">There are no labels, or MaxLeafSize is so small that some bottom cluster would be empty.</exception>
    public ClusterChain Build(CsrMatrix labelFeatures, SparseKernels kernels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(labelFeatures);
        int labels = labelFeatures.Rows;
        if (labels == 0) throw new ArgumentException("Cannot index zero labels: the label feature matrix has no rows.", nameof(labelFeatures));
        int depth = BinaryDepth(labels, Options.MaxLeafSize);
        if (depth == 0) return ClusterChain.Flat(labels);
        if (depth >= 31 || (1L << depth) > labels)
            throw new ArgumentException(
                $"{nameof(HierarchicalKMeansOptions)}.{nameof(HierarchicalKMeansOptions.MaxLeafSize)} = {Options.MaxLeafSize} gives {1L << Math.Min(depth, 62)} bottom clusters for {labels} labels; some would be empty. Use a larger MaxLeafSize.",
                nameof(labelFeatures));
        int[] codes = Options.ExactPecos
            ? PartitionAsPecos(labelFeatures, depth, Options.MaxIterations, (uint)Seed, cancellationToken)
            : PartitionIntoLeaves(labelFeatures, depth, kernels, cancellationToken);
        return ChainFromLeafCodes(codes, depth, Options.NrSplits);
    }

    /// <summary>Runs the binary splits level by level; returns the bottom cluster (0..2^depth-1) of every label.</summary>
    private int[] PartitionIntoLeaves(CsrMatrix z, int depth, SparseKernels kernels, CancellationToken ct)
    {
        int labels = z.Rows;
        var members = new int[labels];
        for (int i = 0; i < labels; i++) members[i] = i;
        // Node k of binary level d owns members[start[k] .. start[k+1]); splitting a node of size n
        // puts floor(n/2) members left and the rest right, so the boundaries are known up front.
        var start = new int[] { 0, labels };
        int threads = ThreadCount.Resolve(Threads);
        // Workers hold two dense accumulators of the feature count each (8 MB apiece at 1M features), so they are pooled
        // for the whole run instead of being allocated per level and worker (per task, they churned gigabytes through the
        // large-object heap at 1M labels).
        var pool = new ConcurrentBag<BalancedTwoMeans>();
        BalancedTwoMeans Rent() => pool.TryTake(out var w) ? w : new BalancedTwoMeans(z, kernels, Options.EmptyRowsLast);
        for (int d = 0; d < depth; d++)
        {
            ct.ThrowIfCancellationRequested();
            int nodes = 1 << d;
            var bounds = start;
            // Fewer nodes than threads (the top levels): split one node at a time, scoring in parallel.
            int scoringThreads = nodes < threads ? threads : 1;
            void SplitNode(int k, BalancedTwoMeans worker)
            {
                var rng = SeededRandom.ForNode(Seed, d, k);
                worker.Split(members.AsSpan(bounds[k], bounds[k + 1] - bounds[k]), ref rng, Options.MaxIterations, scoringThreads);
            }
            if (threads == 1 || nodes < threads)
            {
                var worker = Rent();
                for (int k = 0; k < nodes; k++)
                {
                    ct.ThrowIfCancellationRequested();
                    SplitNode(k, worker);
                }
                pool.Add(worker);
            }
            else
            {
                ParallelWorkers.ForEach(nodes, threads, Rent, pool.Add, SplitNode, ct);
            }
            var next = new int[2 * nodes + 1];
            for (int k = 0; k < nodes; k++)
            {
                next[2 * k] = bounds[k];
                next[2 * k + 1] = bounds[k] + (bounds[k + 1] - bounds[k]) / 2;
            }
            next[2 * nodes] = labels;
            start = next;
        }
        var codes = new int[labels];
        for (int k = 0; k < (1 << depth); k++)
            for (int p = start[k]; p < start[k + 1]; p++) codes[members[p]] = k;
        return codes;
    }

    /// <summary>
    /// PECOS's partition, split for split (<see cref="PecosTwoMeans"/>): the run's generator, seeded with the seed,
    /// first draws one seed per node of the binary tree (heap numbering: node k of binary level d is 2^d + k); each
    /// node's split then draws from a generator of its own seed. A level's centres are sparse from the first level on
    /// which Z has fewer stored entries than (nodes x features), as PECOS decides. Returns every label's bottom cluster.
    /// </summary>
    internal static int[] PartitionAsPecos(CsrMatrix z, int depth, int maxIterations, uint seed, CancellationToken ct)
    {
        int labels = z.Rows;
        var members = new int[labels];
        for (int i = 0; i < labels; i++) members[i] = i;
        var seeds = new uint[2 << depth];
        var rng = new PecosRandom(seed);
        for (int nid = 0; nid < seeds.Length; nid++) seeds[nid] = rng.NextUInt32();
        var split = new PecosTwoMeans(z);
        var start = new int[] { 0, labels };
        bool sparseCentres = false;
        for (int d = 0; d < depth; d++)
        {
            int nodes = 1 << d;
            if ((double)z.Nnz / ((double)nodes * z.Cols) < 1) sparseCentres = true;
            for (int k = 0; k < nodes; k++)
            {
                ct.ThrowIfCancellationRequested();
                rng.Reseed(seeds[nodes + k]);
                split.Split(members.AsSpan(start[k], start[k + 1] - start[k]), rng, maxIterations, sparseCentres);
            }
            var next = new int[2 * nodes + 1];
            for (int k = 0; k < nodes; k++)
            {
                next[2 * k] = start[k];
                next[2 * k + 1] = start[k] + (start[k + 1] - start[k]) / 2;
            }
            next[2 * nodes] = labels;
            start = next;
        }
        var codes = new int[labels];
        for (int k = 0; k < (1 << depth); k++)
            for (int p = start[k]; p < start[k + 1]; p++) codes[members[p]] = k;
        return codes;
    }

    /// <summary>
    /// Builds the chain from bottom cluster codes: level "labels -&gt; codes", then groups of
    /// <paramref name="nrSplits"/> consecutive codes while more than nrSplits remain, then a root level.
    /// </summary>
    internal static ClusterChain ChainFromLeafCodes(int[] codes, int depth, int nrSplits)
    {
        var levels = new List<CsrMatrix> { ClusterChain.LevelFromParents(codes, 1 << depth) };
        int clusters = 1 << depth;
        while (clusters > nrSplits)
        {
            int parents = (clusters + nrSplits - 1) / nrSplits;
            var parentOf = new int[clusters];
            for (int c = 0; c < clusters; c++) parentOf[c] = c / nrSplits;
            levels.Insert(0, ClusterChain.LevelFromParents(parentOf, parents));
            clusters = parents;
        }
        if (clusters > 1) levels.Insert(0, ClusterChain.LevelFromParents(new int[clusters], 1));
        return new ClusterChain(levels);
    }
}
