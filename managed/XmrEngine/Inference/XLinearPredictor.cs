using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Common;
using XmrEngine.IO;

namespace XmrEngine.Inference;

/// <summary>
/// A compiled, immutable XR-Linear predictor: the model's weights rearranged for fast beam search.
/// <para>
/// Thread safety: one instance serves any number of concurrent callers. The predictor never changes
/// after construction, and each call's scratch memory (beam, candidate heap, score buffers) lives in a
/// per-thread workspace, so concurrent calls give exactly the results sequential calls give.
/// Single-query prediction allocates nothing once the calling thread's workspace has grown to size.
/// </para>
/// <para>
/// Ensembles: a predictor built from an <see cref="XLinearEnsemble"/> (or a model file holding several
/// trees) runs one beam search per tree on the same query, asks each tree for max(top-k, beam) labels,
/// and merges them with <see cref="PredictOptions.Combination"/>. A one-tree predictor is exactly the
/// single-model search.
/// </para>
/// <para>
/// Lifetime: a predictor compiled from an <see cref="XLinearModel"/> lives in managed memory and
/// <see cref="Dispose"/> does nothing. A predictor opened with <c>Persistence.XLinearModelFile.OpenMapped</c>
/// scores straight from the memory-mapped file and must be disposed to unmap it. Disposal is safe while
/// other threads are predicting: every call holds a reference on the mapping for its duration, calls
/// already running finish normally on the still-mapped pages, the file is unmapped when the last of them
/// returns, and calls that start after disposal throw <see cref="ObjectDisposedException"/>. A mapped
/// predictor that is never disposed is unmapped by the finalizers once it becomes unreachable.
/// </para>
/// </summary>
public sealed partial class XLinearPredictor : IBatchPredictor, IDisposable
{
    private readonly ILevelScorer[][] _trees;
    private readonly int _maxChildren;
    private readonly int _widestLevel;
    private readonly MappedFileView? _mapping;

    /// <summary>Input dimension D; feature ids must lie in [0, D).</summary>
    public int FeatureCount { get; }

    /// <summary>Number of labels (columns of batch predictions).</summary>
    public int LabelCount { get; }

    /// <summary>Most nodes on any tree level: the largest beam that can make a difference.</summary>
    public int WidestLevel => _widestLevel;

    /// <summary>The backend that scores the chunked layout's rows (managed unless one was given).</summary>
    public SparseKernels Kernels { get; } = ManagedKernels.Instance;

    /// <summary>Tree depth (number of weight levels; the deepest tree's for an ensemble).</summary>
    public int Depth { get; }

    /// <summary>Number of trees (1 unless the model is an ensemble).</summary>
    public int TreeCount => _trees.Length;

    /// <summary>Value of the bias feature appended to every query.</summary>
    public float Bias { get; }

    /// <summary>Options used by the overloads that take none.</summary>
    public PredictOptions Defaults { get; }

    /// <summary>How the weights are stored and scored.</summary>
    public WeightLayout Layout { get; }

    /// <summary>True when the weights are scored straight from a memory-mapped model file (see the class remarks on disposal).</summary>
    public bool IsMemoryMapped => _mapping is not null;

    /// <summary>How the scored weights are stored: quantised when every level of the first tree is a quantised chunked level (a file's trees share one precision).</summary>
    internal WeightPrecision StoredPrecision => _trees[0][0] is ChunkedLevelScorer { Precision: var p } ? p : WeightPrecision.Float32;

    /// <summary>Compiles <paramref name="model"/> for prediction; the model itself is not retained.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="defaults">Default beam settings; null for PECOS's (beam 10, top 10, l3-hinge).</param>
    /// <param name="layout">Weight storage; <see cref="WeightLayout.Chunked"/> unless you want the reference path.</param>
    /// <param name="kernels">Kernel backend that adds the chunked layout's weight rows into the scores (its
    /// <see cref="KernelOperation.ChunkRowAdd"/>); null for managed SIMD, the fastest here.</param>
    public XLinearPredictor(XLinearModel model, PredictOptions? defaults = null, WeightLayout layout = WeightLayout.Chunked, SparseKernels? kernels = null)
        : this(model, defaults, layout, ChunkMatchStrategy.Auto, kernels)
    {
    }

    /// <summary>Compiles every tree of <paramref name="ensemble"/>; see the constructor taking one model.</summary>
    /// <param name="ensemble">The trained trees.</param>
    /// <param name="defaults">Default beam settings and combination; null for PECOS's (beam 10, top 10, l3-hinge, average).</param>
    /// <param name="layout">Weight storage.</param>
    /// <param name="kernels">Kernel backend of the chunked layout; null for managed SIMD.</param>
    public XLinearPredictor(XLinearEnsemble ensemble, PredictOptions? defaults = null, WeightLayout layout = WeightLayout.Chunked, SparseKernels? kernels = null)
        : this(ensemble?.Trees ?? throw new ArgumentNullException(nameof(ensemble)), defaults, layout, ChunkMatchStrategy.Auto, kernels)
    {
    }

    internal XLinearPredictor(XLinearModel model, PredictOptions? defaults, WeightLayout layout, ChunkMatchStrategy strategy, SparseKernels? kernels = null)
        : this([model ?? throw new ArgumentNullException(nameof(model))], defaults, layout, strategy, kernels)
    {
    }

    private XLinearPredictor(IReadOnlyList<XLinearModel> trees, PredictOptions? defaults, WeightLayout layout, ChunkMatchStrategy strategy, SparseKernels? kernels)
    {
        if (layout is not (WeightLayout.Chunked or WeightLayout.Csc))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown weight layout.");
        var model = trees[0];
        FeatureCount = model.FeatureCount;
        LabelCount = model.LabelCount;
        Bias = model.Bias;
        Defaults = defaults ?? PredictOptions.Default;
        Layout = layout;
        Kernels = kernels ?? ManagedKernels.Instance;
        _trees = new ILevelScorer[trees.Count][];
        for (int i = 0; i < trees.Count; i++)
        {
            var levels = new ILevelScorer[trees[i].Chain.Depth];
            for (int t = 0; t < levels.Length; t++)
            {
                var tree = new TreeLevel(trees[i].Chain.Levels[t]);
                levels[t] = layout == WeightLayout.Chunked
                    ? new ChunkedLevelScorer(tree, trees[i].Weights[t], strategy, kernels)
                    : new CscLevelScorer(tree, trees[i].Weights[t]);
            }
            _trees[i] = levels;
        }
        (_maxChildren, _widestLevel, Depth) = Measure(_trees);
    }

    /// <summary>
    /// A predictor over already built scorers, e.g. chunked scorers reading a memory-mapped file that
    /// <paramref name="mapping"/> owns (and this predictor disposes).
    /// </summary>
    internal XLinearPredictor(ILevelScorer[][] trees, int featureCount, int labelCount, float bias, PredictOptions? defaults, MappedFileView? mapping)
    {
        _trees = trees;
        (_maxChildren, _widestLevel, Depth) = Measure(trees);
        FeatureCount = featureCount;
        LabelCount = labelCount;
        Bias = bias;
        Defaults = defaults ?? PredictOptions.Default;
        Layout = WeightLayout.Chunked;
        _mapping = mapping;
    }

    /// <summary>
    /// A predictor over this one's first <paramref name="count"/> trees, sharing their compiled levels (no copy, no
    /// compile): scoring the prefixes of an ensemble compiles each tree once. Only for a predictor compiled in memory,
    /// because the result does not own a mapping.
    /// </summary>
    internal XLinearPredictor FirstTrees(int count)
    {
        if (_mapping is not null) throw new InvalidOperationException("A memory-mapped predictor's trees cannot be shared.");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _trees.Length);
        return new XLinearPredictor(_trees[..count], FeatureCount, LabelCount, Bias, Defaults, mapping: null);
    }

    /// <summary>The level scorers of tree <paramref name="tree"/>, top level first: the sharded search runs
    /// <see cref="BeamSearch.Step"/> on them directly (a shard's levels, the meta-model's beam).</summary>
    internal ILevelScorer[] TreeLevels(int tree) => _trees[tree];

    /// <summary>Largest number of children of any parent on any level (the child-score buffer's size).</summary>
    internal int MaxChildren => _maxChildren;

    /// <summary>The mapping a memory-mapped predictor scores from (null when compiled in memory); a caller that scores
    /// through <see cref="TreeLevels"/> holds it with Enter/Exit for the call, as <see cref="Predict(CsrMatrix, PredictOptions?, int)"/> does.</summary>
    internal MappedFileView? Mapping => _mapping;

    private static (int MaxChildren, int WidestLevel, int Depth) Measure(ILevelScorer[][] trees)
    {
        int maxChildren = 0, widest = 0, depth = 0;
        foreach (var levels in trees)
        {
            depth = Math.Max(depth, levels.Length);
            foreach (var level in levels)
            {
                maxChildren = Math.Max(maxChildren, level.Tree.MaxChildren);
                widest = Math.Max(widest, level.Tree.NodeCount);
            }
        }
        return (maxChildren, widest, depth);
    }

    /// <summary>
    /// Unmaps a memory-mapped predictor once the calls running now have returned; later calls throw
    /// <see cref="ObjectDisposedException"/>. Does nothing for a predictor compiled in memory. Idempotent.
    /// </summary>
    public void Dispose() => _mapping?.Dispose();

    /// <summary>Predicts one query with <see cref="Defaults"/>; see the overload taking options.</summary>
    public int Predict(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<ScoredLabel> output) =>
        Predict(indices, values, output, Defaults);

    /// <summary>
    /// Predicts one sparse query and writes its best labels, best first, into <paramref name="output"/>.
    /// Allocates nothing in steady state.
    /// </summary>
    /// <param name="indices">Feature ids, strictly increasing, each in [0, <see cref="FeatureCount"/>).</param>
    /// <param name="values">Feature values aligned with <paramref name="indices"/>; finite.</param>
    /// <param name="output">Receives up to <see cref="PredictOptions.TopK"/> labels; must hold at least that many
    /// (or <see cref="LabelCount"/>, when TopK is larger).</param>
    /// <param name="options">Beam settings for this call; a beam size or top-k above <see cref="LabelCount"/> is
    /// treated as <see cref="LabelCount"/> (a beam above the widest tree level as that width; see <see cref="PredictOptions.CappedTo"/>).</param>
    /// <returns>Number of labels written (less than TopK only when the tree has fewer reachable labels).</returns>
    /// <exception cref="ArgumentException">A feature id is out of range or out of order, a value is NaN or
    /// infinite, the spans differ in length, or <paramref name="output"/> is shorter than TopK.</exception>
    public int Predict(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<ScoredLabel> output, PredictOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.CappedTo(LabelCount, _widestLevel);
        ValidateQuery(indices, values);
        if (output.Length < options.TopK)
            throw new ArgumentException($"The output span holds {output.Length} labels but TopK is {options.TopK}.", nameof(output));
        var mapping = _mapping;
        mapping?.Enter();
        try
        {
            return PredictValidated(indices, values, output, options);
        }
        finally
        {
            mapping?.Exit();
        }
    }

    /// <summary>Predicts one query and returns its best labels, best first (allocates the result array).</summary>
    /// <exception cref="ArgumentException">See <see cref="Predict(ReadOnlySpan{int}, ReadOnlySpan{float}, Span{ScoredLabel}, PredictOptions)"/>.</exception>
    public ScoredLabel[] Predict(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, PredictOptions? options = null)
    {
        options = (options ?? Defaults).CappedTo(LabelCount, _widestLevel);
        ValidateQuery(indices, values);
        var buffer = new ScoredLabel[options.TopK];
        var mapping = _mapping;
        mapping?.Enter();
        int n;
        try
        {
            n = PredictValidated(indices, values, buffer, options);
        }
        finally
        {
            mapping?.Exit();
        }
        return n == buffer.Length ? buffer : buffer[..n];
    }

    /// <summary>
    /// Predicts every row of <paramref name="queries"/> in parallel. Row i of the result holds the top-k
    /// labels of query i with their scores (CSR: sorted by label id, not by score).
    /// </summary>
    /// <param name="queries">n x D' query matrix with D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="options">Beam settings; null for <see cref="Defaults"/>; top-k is capped at <see cref="LabelCount"/>, the beam size at the widest tree level.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <returns>An n x <see cref="LabelCount"/> score matrix.</returns>
    /// <exception cref="ArgumentException">The queries have more columns than the model has features.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n x top-k results would not fit in memory.</exception>
    /// <exception cref="ObjectDisposedException">The predictor is memory-mapped and has been disposed.</exception>
    public CsrMatrix Predict(CsrMatrix queries, PredictOptions? options = null, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        options = (options ?? Defaults).CappedTo(LabelCount, _widestLevel);
        if (queries.Cols > FeatureCount)
            throw new ArgumentException($"The query matrix has {queries.Cols} columns but the model has {FeatureCount} features.", nameof(queries));
        int n = queries.Rows, k = options.TopK;
        using var output = new TopKRows(n, k);
        int threads = ThreadCount.Resolve(maxThreads);
        var opts = options;
        var mapping = _mapping;
        mapping?.Enter();
        try
        {
            ParallelBlocks.Run(n, 32, threads, () => 0, (_, start, end, _) =>
            {
                var ws = PredictWorkspace.Current;
                ws.Ensure(_maxChildren, Math.Max(opts.BeamSize, opts.TopK));
                for (int row = start; row < end; row++)
                {
                    var results = ws.Results.AsSpan(0, k);
                    int m = PredictValidated(queries.Row(row).Indices, queries.Row(row).Values, results, opts);
                    var rowLabels = output.Labels(row);
                    var rowScores = output.Scores(row);
                    for (int i = 0; i < m; i++)
                    {
                        rowLabels[i] = results[i].Label;
                        rowScores[i] = results[i].Score;
                    }
                    output.Commit(row, m);
                }
            });
        }
        finally
        {
            mapping?.Exit();
        }
        return output.ToCsr(LabelCount);
    }

    private int PredictValidated(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<ScoredLabel> output, PredictOptions options)
    {
        var ws = PredictWorkspace.Current;
        ws.Ensure(_maxChildren, Math.Max(options.BeamSize, options.TopK));
        var query = new QueryVector(indices, values, Bias);
        try
        {
            return _trees.Length == 1
                ? BeamSearch.Run(_trees[0], query, options, ws, output)
                : PredictEnsemble(query, options, ws, output);
        }
        finally
        {
            ws.EndQuery(query);
        }
    }

    /// <summary>One beam search per tree on the same query (its dense copy is shared), then the merge.</summary>
    private int PredictEnsemble(in QueryVector query, PredictOptions options, PredictWorkspace ws, Span<ScoredLabel> output)
    {
        // Each tree returns more than the final top-k (at least a beam's worth), so a label one tree ranks
        // just below the cut can still win on the others' votes.
        int perTree = Math.Min(Math.Max(options.TopK, options.BeamSize), LabelCount);
        ws.Ensure(_maxChildren, perTree);
        ws.EnsureEnsemble(_trees.Length, perTree);
        int total = 0;
        for (int i = 0; i < _trees.Length; i++)
        {
            int n = BeamSearch.Run(_trees[i], query, options.BeamSize, perTree, options.PostProcessor, ws, ws.TreeResults.AsSpan(total, perTree));
            ws.TreeResultLengths[i] = n;
            total += n;
        }
        return EnsembleMerge.Merge(ws.TreeResults.AsSpan(0, total), ws.TreeResultLengths.AsSpan(0, _trees.Length), options.Combination, options.TopK,
            ws.MergeKeys, ws.HeapNodes, ws.HeapScores, output);
    }

    private void ValidateQuery(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
            throw new ArgumentException($"The query has {indices.Length} feature ids but {values.Length} values.", nameof(values));
        int previous = -1;
        for (int i = 0; i < indices.Length; i++)
        {
            int id = indices[i];
            if ((uint)id >= (uint)FeatureCount)
                throw new ArgumentException(
                    $"Feature id {id} at position {i} is outside the model's feature dimension {FeatureCount} (valid ids are 0..{FeatureCount - 1}).",
                    nameof(indices));
            if (id <= previous)
                throw new ArgumentException($"Feature ids must be strictly increasing; id {id} at position {i} follows {previous}.", nameof(indices));
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Feature {id} at position {i} has value {values[i]}; values must be finite (no NaN or infinity).", nameof(values));
            previous = id;
        }
    }
}
