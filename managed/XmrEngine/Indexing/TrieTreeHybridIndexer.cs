using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Indexing;

/// <summary>
/// The trie-tree hybrid index of Yadav et al. (KDD 2021): a character trie for the top
/// <see cref="TrieDepth"/> levels (<see cref="TrieLevels"/>), then, below each depth-d trie node and using only
/// that node's labels, PECOS's balanced spherical 2-means (<see cref="BalancedTwoMeans"/>) down to clusters of
/// at most <see cref="HierarchicalKMeansOptions.MaxLeafSize"/> labels, grouped <see cref="HierarchicalKMeansOptions.NrSplits"/>
/// ways per level as <see cref="HierarchicalKMeansIndexer"/> groups them.
/// <para>
/// Subtrees under different trie nodes have different heights; the chain needs one height, so each shorter
/// subtree is lifted by single-child nodes between its trie node and its own top level. Node order on every
/// clustering level is subtree by subtree (trie node order), so a node's parent is
/// <c>offset(subtree, level above) + local index / NrSplits</c>. Every split draws from its own random stream
/// (seed, trie node, binary level, node), so the tree does not depend on the thread count.
/// </para>
/// </summary>
public sealed class TrieTreeHybridIndexer
{
    /// <summary>Character levels at the top, at least 1.</summary>
    public int TrieDepth { get; }

    /// <summary>Shape of the clustering below the trie (NrSplits, MaxLeafSize, MaxIterations, EmptyRowsLast).</summary>
    public HierarchicalKMeansOptions Clustering { get; }

    /// <summary>Seed of the splits below the trie; the tree is a function of the seed, the strings and the features only.</summary>
    public int Seed { get; }

    /// <summary>Worker threads (0 = all cores); never changes the tree.</summary>
    public int Threads { get; }

    /// <summary>Creates a hybrid indexer.</summary>
    /// <param name="trieDepth">Character levels at the top, at least 1.</param>
    /// <param name="clustering">Clustering shape below the trie; null for PECOS's defaults.</param>
    /// <param name="seed">Seed of the splits [0].</param>
    /// <param name="threads">Worker threads [0 = all cores].</param>
    public TrieTreeHybridIndexer(int trieDepth, HierarchicalKMeansOptions? clustering = null, int seed = 0, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trieDepth, 1);
        TrieDepth = trieDepth;
        Clustering = clustering ?? new HierarchicalKMeansOptions();
        Seed = seed;
        Threads = OptionGuard.AtLeast(threads, 0, nameof(TrieTreeHybridIndexer), nameof(Threads));
    }

    /// <summary>Builds the tree whose last level has one row per label: trie levels over the strings, then 2-means below each trie leaf.</summary>
    /// <param name="labels">The label strings, one per label id; non-empty.</param>
    /// <param name="labelFeatures">Labels x features, one row per label, clustered below the trie leaves.</param>
    /// <param name="cancellationToken">Stops the build between nodes.</param>
    /// <exception cref="ArgumentException">No labels, an empty label, or the feature rows do not match the labels.</exception>
    public ClusterChain Build(IReadOnlyList<string> labels, CsrMatrix labelFeatures, CancellationToken cancellationToken = default) =>
        Build(labels, labelFeatures, ManagedKernels.Instance, cancellationToken);

    /// <summary>
    /// <see cref="Build(IReadOnlyList{string}, CsrMatrix, CancellationToken)"/> on the backend the caller's run resolved
    /// (it accumulates the cluster centres); the tree is the same on every backend.
    /// </summary>
    /// <exception cref="ArgumentException">No labels, an empty label, or the feature rows do not match the labels.</exception>
    public ClusterChain Build(IReadOnlyList<string> labels, CsrMatrix labelFeatures, SparseKernels kernels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(labelFeatures);
        if (labelFeatures.Rows != labels.Count)
            throw new ArgumentException($"There are {labels.Count} labels but {labelFeatures.Rows} label feature rows.", nameof(labelFeatures));
        var trie = TrieLevels.Build(labels, TrieDepth);
        int trieLeaves = trie.Keys[^1].Length;

        // Members of each trie leaf, ascending label id.
        var memberCount = new int[trieLeaves + 1];
        foreach (int leaf in trie.LeafOfLabel) memberCount[leaf + 1]++;
        for (int j = 0; j < trieLeaves; j++) memberCount[j + 1] += memberCount[j];
        var memberStart = (int[])memberCount.Clone();
        var members = new int[labels.Count];
        var fill = (int[])memberCount.Clone();
        for (int l = 0; l < labels.Count; l++) members[fill[trie.LeafOfLabel[l]]++] = l;

        var subtrees = new Subtree[trieLeaves];
        int threads = ThreadCount.Resolve(Threads);
        ParallelWorkers.ForEach(trieLeaves, threads, () => new BalancedTwoMeans(labelFeatures, kernels, Clustering.EmptyRowsLast), _ => { }, (j, worker) =>
        {
            var span = members.AsSpan(memberStart[j], memberStart[j + 1] - memberStart[j]);
            subtrees[j] = Partition(span, j, worker, cancellationToken);
        }, cancellationToken);

        int height = subtrees.Max(s => s.Height);
        int ns = Clustering.NrSplits;
        var levels = new List<CsrMatrix>(TrieDepth + height + 1);
        for (int t = 0; t < TrieDepth; t++)
            levels.Add(ClusterChain.LevelFromParents(trie.ParentOfNode[t], t == 0 ? 1 : trie.Keys[t - 1].Length));

        // offsets[j] = first global node of subtree j on the current clustering level.
        var previousOffsets = new int[trieLeaves];
        int previousCount = trieLeaves;
        for (int k = 0; k < height; k++)
        {
            var offsets = new int[trieLeaves];
            int total = 0;
            for (int j = 0; j < trieLeaves; j++)
            {
                offsets[j] = total;
                total += subtrees[j].NodesOnLevel(k, height, ns);
            }
            var parent = new int[total];
            for (int j = 0; j < trieLeaves; j++)
            {
                int count = subtrees[j].NodesOnLevel(k, height, ns);
                for (int i = 0; i < count; i++)
                    parent[offsets[j] + i] = k == 0 ? j : previousOffsets[j] + i / ns;
            }
            levels.Add(ClusterChain.LevelFromParents(parent, previousCount));
            previousOffsets = offsets;
            previousCount = total;
        }
        var labelParent = new int[labels.Count];
        for (int j = 0; j < trieLeaves; j++)
        {
            var codes = subtrees[j].Codes;
            for (int i = 0; i < codes.Length; i++) labelParent[members[memberStart[j] + i]] = previousOffsets[j] + codes[i];
        }
        levels.Add(ClusterChain.LevelFromParents(labelParent, previousCount));
        return new ClusterChain(levels);
    }

    /// <summary>
    /// Splits one trie leaf's labels (<paramref name="span"/>, ascending ids on entry; reordered in place, then
    /// restored) into 2^b bottom clusters; returns the bottom cluster of each member in entry order.
    /// </summary>
    private Subtree Partition(Span<int> span, int trieLeaf, BalancedTwoMeans worker, CancellationToken ct)
    {
        int n = span.Length;
        int b = HierarchicalKMeansIndexer.BinaryDepth(n, Clustering.MaxLeafSize);
        while (b > 0 && (1 << b) > n) b--; // never ask for more clusters than labels
        var original = span.ToArray();
        var start = new int[] { 0, n };
        long subtreeSeed = (long)SeededRandom.Mix(((ulong)(uint)Seed << 32) | (uint)trieLeaf);
        for (int d = 0; d < b; d++)
        {
            ct.ThrowIfCancellationRequested();
            int nodes = 1 << d;
            for (int k = 0; k < nodes; k++)
            {
                var rng = SeededRandom.ForNode(subtreeSeed, d, k);
                worker.Split(span[start[k]..start[k + 1]], ref rng, Clustering.MaxIterations);
            }
            var next = new int[2 * nodes + 1];
            for (int k = 0; k < nodes; k++)
            {
                next[2 * k] = start[k];
                next[2 * k + 1] = start[k] + (start[k + 1] - start[k]) / 2;
            }
            next[2 * nodes] = n;
            start = next;
        }
        var codeOfLabel = new Dictionary<int, int>(n);
        for (int k = 0; k < (1 << b); k++)
            for (int p = start[k]; p < start[k + 1]; p++) codeOfLabel[span[p]] = k;
        var codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = codeOfLabel[original[i]];
        original.CopyTo(span);
        return new Subtree(b, codes, Clustering.NrSplits);
    }

    /// <summary>One trie leaf's clustering: its binary depth and the bottom cluster of each member.</summary>
    private sealed class Subtree
    {
        private readonly int[] _countsTopDown; // real clustering levels, top first; the last is 2^b bottom clusters

        public int[] Codes { get; }

        public int Height => _countsTopDown.Length;

        public Subtree(int binaryDepth, int[] codes, int nrSplits)
        {
            Codes = codes;
            var counts = new List<int> { 1 << binaryDepth };
            while (counts[0] > nrSplits) counts.Insert(0, (counts[0] + nrSplits - 1) / nrSplits);
            _countsTopDown = counts.ToArray();
        }

        /// <summary>Nodes of this subtree on clustering level k of a chain of the given height (1 on lifting levels).</summary>
        public int NodesOnLevel(int k, int height, int nrSplits)
        {
            int lift = height - _countsTopDown.Length;
            return k < lift ? 1 : _countsTopDown[k - lift];
        }
    }
}
