using System.Buffers;
using XmrEngine.Kernels;
using XmrEngine.Models;
using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Inference;

/// <summary>
/// Batch XR-Linear prediction through the kernel seam, the way PECOS runs batch inference: level by
/// level, the scores of a whole block of queries are one masked product
/// <c>[X, bias] · W_t</c> evaluated only at the (query, child) pairs whose parent is in that query's
/// beam (<see cref="SparseKernels.MaskedMultiply(CsrMatrix, CscMatrix, CsrMatrix, Span{float}, int)"/>),
/// followed by the same post-processing and beam selection as <see cref="XLinearPredictor"/>. Whichever
/// backend computes the product (reference, managed, native C, MKL), the predictions are those of
/// <see cref="XLinearPredictor.Predict(CsrMatrix, PredictOptions?, int)"/> up to float rounding of the
/// raw scores.
/// <para>
/// <see cref="XLinearPredictor"/> stays the fast path for serving: it compiles the weights into a
/// per-parent chunked layout. This class reads the model's CSC weights as they are and exists so that a
/// chosen backend really does the scoring (<c>xmr predict --backend</c>) and so that backends can be
/// compared end to end. Immutable; any number of callers may use one instance at once.
/// </para>
/// </summary>
public sealed class MaskedBatchPredictor : IBatchPredictor
{

    private readonly TreeLevel[] _levels;
    private readonly IReadOnlyList<CscMatrix> _weights;

    /// <summary>The backend that computes every level's masked product.</summary>
    public SparseKernels Kernels { get; }

    /// <summary>Input dimension D; queries may have at most this many columns.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of labels (columns of the predictions).</summary>
    public int LabelCount { get; }

    /// <summary>Tree depth (number of weight levels).</summary>
    public int Depth => _levels.Length;

    /// <summary>Most nodes on any tree level: the largest beam that can make a difference.</summary>
    public int WidestLevel { get; }

    /// <summary>Value of the bias feature appended to every query.</summary>
    public float Bias { get; }

    /// <summary>Options used when a call passes none.</summary>
    public PredictOptions Defaults { get; }

    /// <summary>Queries scored per masked product; bounds the mask and score buffers of one level (tests set it small to cross block edges).</summary>
    internal int BlockRows { get; init; } = 8192;

    /// <summary>Prepares <paramref name="model"/> for batch prediction with <paramref name="kernels"/>; the model's weights are used as stored, not copied.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="kernels">The backend for the masked products, e.g. <c>KernelRegistry.Get(KernelBackend.Mkl)</c>.</param>
    /// <param name="defaults">Default beam settings; null for PECOS's (beam 10, top 10, l3-hinge).</param>
    public MaskedBatchPredictor(XLinearModel model, SparseKernels kernels, PredictOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(kernels);
        Kernels = kernels;
        FeatureCount = model.FeatureCount;
        LabelCount = model.LabelCount;
        Bias = model.Bias;
        Defaults = defaults ?? PredictOptions.Default;
        _weights = model.Weights;
        _levels = new TreeLevel[model.Chain.Depth];
        for (int t = 0; t < _levels.Length; t++) _levels[t] = new TreeLevel(model.Chain.Levels[t]);
        WidestLevel = _levels.Max(l => l.NodeCount);
    }

    /// <summary>
    /// Predicts every row of <paramref name="queries"/>. Row i of the result holds the top-k labels of
    /// query i with their scores (CSR: sorted by label id, not by score), as
    /// <see cref="XLinearPredictor.Predict(CsrMatrix, PredictOptions?, int)"/> returns them.
    /// </summary>
    /// <param name="queries">n x D' query matrix with D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="options">Beam settings; null for <see cref="Defaults"/>; top-k is capped at <see cref="LabelCount"/>, the beam size at the widest tree level.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <returns>An n x <see cref="LabelCount"/> score matrix.</returns>
    /// <exception cref="ArgumentException">The queries have more columns than the model has features.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n x top-k results would not fit in memory.</exception>
    public CsrMatrix Predict(CsrMatrix queries, PredictOptions? options = null, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        options = (options ?? Defaults).CappedTo(LabelCount, WidestLevel);
        if (queries.Cols > FeatureCount)
            throw new ArgumentException($"The query matrix has {queries.Cols} columns but the model has {FeatureCount} features.", nameof(queries));
        int threads = ThreadCount.Resolve(maxThreads);
        int n = queries.Rows;
        using var output = new TopKRows(n, options.TopK);
        for (int start = 0; start < n; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - start);
            using var beam = PredictBlock(WithBias(queries, start, rows), options, threads);
            for (int r = 0; r < rows; r++)
            {
                int row = start + r;
                var nodes = beam.Nodes(r);
                nodes.CopyTo(output.Labels(row));
                beam.Scores(r).CopyTo(output.Scores(row));
                output.Commit(row, nodes.Length);
            }
        }
        return output.ToCsr(LabelCount);
    }

    /// <summary>Beam search over all levels for one block of bias-augmented queries; the caller disposes the beam.</summary>
    private BatchBeam PredictBlock(CsrMatrix x, PredictOptions options, int threads)
    {
        var beam = new BatchBeam(x.Rows, Math.Max(options.BeamSize, options.TopK));
        try
        {
            for (int t = 0; t < _levels.Length; t++)
            {
                var mask = beam.BuildMask(_levels[t], threads);
                // The level's raw scores live only until Select has read them: pooled, not a new array per level.
                var raw = ArrayPool<float>.Shared.Rent((int)mask.Nnz);
                try
                {
                    Kernels.MaskedMultiply(x, _weights[t], mask, raw.AsSpan(0, (int)mask.Nnz), threads);
                    bool last = t == _levels.Length - 1;
                    beam.Select(_levels[t], mask, raw, options.PostProcessor, combine: t > 0, last ? options.TopK : options.BeamSize, threads);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(raw);
                }
            }
            return beam;
        }
        catch
        {
            beam.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Rows [start, start + rows) of the queries as an rows x (D + 1) matrix whose last column holds
    /// the bias value (omitted when the bias is 0, where it contributes nothing), so that one product
    /// with W_t gives w_c . [x, bias] as the single-query scorers compute it.
    /// </summary>
    private CsrMatrix WithBias(CsrMatrix queries, int start, int rows)
    {
        bool bias = Bias != 0f;
        long first = queries.Pointers[start];
        long stored = queries.Pointers[start + rows] - first;
        var rowPtr = new long[rows + 1];
        var cols = new int[stored + (bias ? rows : 0)];
        var vals = new float[cols.Length];
        int at = 0;
        for (int r = 0; r < rows; r++)
        {
            var idx = queries.Row(start + r).Indices;
            idx.CopyTo(cols.AsSpan(at));
            queries.Row(start + r).Values.CopyTo(vals.AsSpan(at));
            at += idx.Length;
            if (bias)
            {
                cols[at] = FeatureCount;
                vals[at] = Bias;
                at++;
            }
            rowPtr[r + 1] = at;
        }
        return CsrMatrix.FromTrusted(rows, FeatureCount + 1, rowPtr, cols, vals);
    }
}
