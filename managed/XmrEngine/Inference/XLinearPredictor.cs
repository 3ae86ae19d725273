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
/// Lifetime: a predictor compiled from an <see cref="XLinearModel"/> lives in managed memory and
/// <see cref="Dispose"/> does nothing. A predictor opened with <c>Persistence.XLinearModelFile.OpenMapped</c>
/// scores straight from the memory-mapped file and must be disposed to unmap it. Disposal is safe while
/// other threads are predicting: every call holds a reference on the mapping for its duration, calls
/// already running finish normally on the still-mapped pages, the file is unmapped when the last of them
/// returns, and calls that start after disposal throw <see cref="ObjectDisposedException"/>. A mapped
/// predictor that is never disposed is unmapped by the finalizers once it becomes unreachable.
/// </para>
/// </summary>
public sealed class XLinearPredictor : IBatchPredictor, IDisposable
{
    private readonly ILevelScorer[] _levels;
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

    /// <summary>Tree depth (number of weight levels).</summary>
    public int Depth => _levels.Length;

    /// <summary>Value of the bias feature appended to every query.</summary>
    public float Bias { get; }

    /// <summary>Options used by the overloads that take none.</summary>
    public PredictOptions Defaults { get; }

    /// <summary>How the weights are stored and scored.</summary>
    public WeightLayout Layout { get; }

    /// <summary>True when the weights are scored straight from a memory-mapped model file (see the class remarks on disposal).</summary>
    public bool IsMemoryMapped => _mapping is not null;

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

    internal XLinearPredictor(XLinearModel model, PredictOptions? defaults, WeightLayout layout, ChunkMatchStrategy strategy, SparseKernels? kernels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (layout is not (WeightLayout.Chunked or WeightLayout.Csc))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown weight layout.");
        FeatureCount = model.FeatureCount;
        LabelCount = model.LabelCount;
        Bias = model.Bias;
        Defaults = defaults ?? PredictOptions.Default;
        Layout = layout;
        Kernels = kernels ?? ManagedKernels.Instance;
        _levels = new ILevelScorer[model.Chain.Depth];
        for (int t = 0; t < _levels.Length; t++)
        {
            var tree = new TreeLevel(model.Chain.Levels[t]);
            _levels[t] = layout == WeightLayout.Chunked
                ? new ChunkedLevelScorer(tree, model.Weights[t], strategy, kernels)
                : new CscLevelScorer(tree, model.Weights[t]);
            _maxChildren = Math.Max(_maxChildren, tree.MaxChildren);
            _widestLevel = Math.Max(_widestLevel, tree.NodeCount);
        }
    }

    /// <summary>
    /// A predictor over already built scorers, e.g. chunked scorers reading a memory-mapped file that
    /// <paramref name="mapping"/> owns (and this predictor disposes).
    /// </summary>
    internal XLinearPredictor(ILevelScorer[] levels, int featureCount, int labelCount, float bias, PredictOptions? defaults, MappedFileView? mapping)
    {
        _levels = levels;
        foreach (var level in levels)
        {
            _maxChildren = Math.Max(_maxChildren, level.Tree.MaxChildren);
            _widestLevel = Math.Max(_widestLevel, level.Tree.NodeCount);
        }
        FeatureCount = featureCount;
        LabelCount = labelCount;
        Bias = bias;
        Defaults = defaults ?? PredictOptions.Default;
        Layout = WeightLayout.Chunked;
        _mapping = mapping;
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
            return BeamSearch.Run(_levels, query, options, ws, output);
        }
        finally
        {
            ws.EndQuery(query);
        }
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
